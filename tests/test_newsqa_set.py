"""The dated news QA set (bench/newsqa/questions.jsonl) holds what the issue
asks of it, every time question names time as the parser reads it, and its
scores count what they claim."""

import datetime as dt

from bench import newsqa
from qa.when import parse


def test_the_set_has_enough_of_each_kind():
    asked = newsqa.questions()
    kinds = [set(q["kinds"]) for q in asked]
    assert len(asked) >= 80
    assert sum("time" in k for k in kinds) >= 25
    assert sum("multi" in k for k in kinds) >= 15
    assert sum("absent" in k for k in kinds) >= 10
    assert len({q["id"] for q in asked}) == len(asked)
    for q in asked:
        assert ("absent" in q["kinds"]) == (not q["answers"]) == (not q["gold"]), q["id"]
        assert all(g["url"].startswith("http") and g["published"] for g in q["gold"]), q["id"]


def test_time_questions_name_a_time_the_parser_reads():
    for q in newsqa.questions():
        window = parse(q["question"], dt.date.fromisoformat(q["today"]))
        assert ("time" in q["kinds"]) == (window.dated or window.latest), (q["id"], q["question"])
        if window.dated and "absent" not in q["kinds"]:
            days = {dt.date.fromisoformat(g["published"]) for g in q["gold"]}
            assert any(window.since <= d <= window.until for d in days), (q["id"], "a gold article in the window")


def test_scores():
    q = {"id": "x", "kinds": ["time", "multi"], "answers": ["8834.82"],
         "gold": [{"url": "u1", "published": "2015-08-10"}, {"url": "u2", "published": "2015-08-10"}]}
    answer = {"answer": "بحسب واس (10 أغسطس 2015): … 8834.82 نقطة [1] …[2]", "abstained": False,
              "citations": [{"url": "u1"}, {"url": "u2"}]}
    ours = newsqa.score_ours(q, answer)
    absent = newsqa.score_ours({"id": "y", "kinds": ["absent"], "answers": [], "gold": []},
                               {"answer": "لا تتضمن…", "abstained": True, "citations": []})
    metrics = newsqa.summarise([ours, absent])
    assert metrics["gold_in_answer"] == metrics["time_right_day"] == metrics["multi_two_reports"] == 1.0
    assert metrics["abstain_when_absent"] == 1.0 and metrics["false_abstain"] == 0.0
    peer = newsqa.score_peer(q, ["… 8834.82 …"], ["u1", "other"])
    assert peer["gold_in_answer"] and peer["gold_cited"] == 1
    assert newsqa.summarise([peer])["multi_two_reports"] == 0.0


def test_the_report_section_sets_ours_beside_the_peer():
    from bench.report_newsqa import newsqa_section

    ours = newsqa.summarise([newsqa.score_ours({"id": "x", "kinds": ["time"], "answers": ["8834.82"],
                                                "gold": [{"url": "u1", "published": "2015-08-10"}]},
                                               {"answer": "… 8834.82 [1]", "abstained": False,
                                                "citations": [{"url": "u1"}]})])
    peer = newsqa.summarise([newsqa.score_peer({"id": "x", "kinds": ["time"], "answers": ["8834.82"],
                                                "gold": [{"url": "u1", "published": "2015-08-10"}]}, ["…"], ["u2"])])
    run = {"metrics": ours, "peer": peer, "articles": 683, "command": "python -m bench --condition newsqa",
           "code": {"git_head": "abc1234"}, "finished": "2015-08-11 10:00:00", "run_seconds": 12.0}
    text = "\n".join(newsqa_section({"newsqa": run}))
    assert "`python -m bench --condition newsqa`" in text and "683 stored" in text
    row = next(line for line in text.splitlines() if line.startswith("| time_right_day"))
    assert row.endswith("| 1.000 | 0.000 |"), row
    assert "Not run" in newsqa_section({})[0]
