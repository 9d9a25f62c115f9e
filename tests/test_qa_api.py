"""The asking side end to end, with real weights: Python API and `qa` CLI."""

import json

import pytest
from click.testing import CliRunner

from index.settings import Settings
from qa.api import QA, QuestionError
from qa.cli import cli
from tests.conftest import FIXTURES, SAMPLE, build_store


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory, model_cache, embedder):
    path = tmp_path_factory.mktemp("corpus") / "store"
    summary = build_store(path, [SAMPLE, FIXTURES / "small_corpus.jsonl"], model_cache, embedder)
    assert summary["added"] == 4 and not summary["failed"], summary
    return path


@pytest.fixture(scope="module")
def qa(corpus_store, model_cache, embedder):
    # the session's loaded model
    service = QA(Settings.from_env(environ={}, store=corpus_store, model_cache=model_cache), embedder=embedder)
    return service


def check_contract(answer, qa):
    data = answer.to_dict()
    assert set(data) == {"question", "answer", "abstained", "citations", "short", "time_window", "composer", "note",
                         "dropped"}
    markers = sorted({int(n) for n in __import__("re").findall(r"\[(\d+)\]", data["answer"])})
    assert markers == [c["n"] for c in data["citations"]]
    for c in answer.citations:
        assert c.quote in qa.article(c.article_id).text
    return data


def test_ask_answers_with_citations(qa):
    answer = qa.ask("كم يبلغ طول مسارات قطار الرياض؟")
    data = check_contract(answer, qa)
    assert not data["abstained"] and "176" in data["answer"]
    assert data["citations"][0]["article_id"] == "riyadh-metro"
    assert data["citations"][0]["url"] == "https://example.org/riyadh-metro"


def test_follow_up_uses_history(qa):
    first = qa.ask("ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟")
    follow = qa.ask("ومتى ستجرى الانتخابات؟", history=[(first.question, first.text)])
    check_contract(follow, qa)
    assert not follow.abstained
    assert "أيار" in follow.text or "مايو" in follow.text or "26" in follow.text
    as_messages = qa.ask("ومتى ستجرى الانتخابات؟", history=[
        {"role": "user", "content": first.question}, {"role": "assistant", "content": first.text}])
    assert as_messages.text == follow.text


def test_unrelated_question_abstains_with_suggestions(qa):
    answer = qa.ask("من فاز بكأس العالم لكرة القدم عام 1998؟")
    data = check_contract(answer, qa)
    assert data["abstained"] and data["citations"] == []
    assert "لا تتضمن المقالات المخزنة" in data["answer"] and answer.suggestions


def test_filters_by_source_and_date(qa):
    question = "ماذا حدث في الرياض؟"
    only_okaz = qa.search(question, sources=["صحيفة عكاظ"])
    assert only_okaz and {p.article.source for p in only_okaz} == {"صحيفة عكاظ"}
    recent = qa.search("صادرات التمور والأمطار وقطار الرياض", since="2023")
    assert recent and all(p.article.published >= "2023-01-01" for p in recent)
    old = qa.search("صادرات التمور والأمطار وقطار الرياض", until="2022-12")
    assert old and {p.article.id for p in old} == {"dates-export"}
    with pytest.raises(ValueError, match="not a date"):
        qa.search(question, since="last week")


def test_retrieval_modes(qa):
    for mode in ("hybrid", "dense", "bm25"):
        passages = qa.search("صادرات التمور السعودية", mode=mode, k=3)
        assert passages[0].article.id == "dates-export", mode


def test_streaming_grows_then_ends_with_the_answer(qa):
    parts = list(qa.ask_stream("كم محطة في قطار الرياض؟"))
    texts, final = parts[:-1], parts[-1]
    assert texts and all(isinstance(t, str) for t in texts)
    assert all(a in b or b.startswith(a[:10]) for a, b in zip(texts, texts[1:]))
    assert final.text == texts[-1] and "85" in final.text


def test_bad_questions_are_refused(qa):
    for bad in ("", "   \n", "ب" * 5000):
        with pytest.raises(QuestionError):
            qa.ask(bad)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_cli_ask_json_and_text(corpus_store):
    result = run("ask", "متى افتتحت المرحلة الأولى من قطار الرياض؟", "--store", corpus_store, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "2024" in data["answer"] and data["citations"][0]["source"] == "صحيفة الرياض"
    text = run("ask", "متى افتتحت المرحلة الأولى من قطار الرياض؟", "--store", corpus_store)
    assert "المصادر:" in text.output and "[1]" in text.output
    empty = run("ask", "  ", "--store", corpus_store)
    assert empty.exit_code == 1 and "empty" in empty.output


def test_cli_lists_each_cited_article_once_its_quotes_lettered(corpus_store):
    """Two quotes from one article: the article is listed once, its quotes
    under it as [1أ] and [1ب], the same marks the answer text carries (and
    the web chat shows); the JSON keeps one number per quote."""
    question = "ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟"
    data = json.loads(run("ask", question, "--store", corpus_store, "--json").output)
    quotes = data["citations"]
    assert len(quotes) >= 2 and len({c["article_id"] for c in quotes}) == 1
    text = run("ask", question, "--store", corpus_store).output
    body, listed = text.split("\nالمصادر:\n")
    letters = "أبجدهوز"
    expected_body = data["answer"]
    for i, c in enumerate(quotes):
        expected_body = expected_body.replace(f"[{c['n']}]", f"[1{letters[i]}]")
    assert body.strip() == expected_body
    first = quotes[0]
    assert listed.splitlines() == [f"[1] {first['title']} ({first['source']})",
                                   *(f"    [1{letters[i]}] «{c['quote']}»" for i, c in enumerate(quotes))]
    assert text.count(first["title"]) == 1


def test_cli_shows_the_short_answer_bold_on_a_terminal_only(corpus_store):
    question = "متى ستجرى الانتخابات الرئاسية السورية؟"
    data = json.loads(run("ask", question, "--store", corpus_store, "--json").output)
    short = data["short"]["text"]
    assert "26" in short
    on_terminal = CliRunner().invoke(cli, ["ask", question, "--store", str(corpus_store)], color=True)
    assert f"\x1b[1m{short}\x1b[0m" in on_terminal.output
    piped = run("ask", question, "--store", corpus_store).output
    assert "\x1b[" not in piped and short in piped.split("\n")[0]


def test_cli_batch(corpus_store, tmp_path):
    questions = tmp_path / "in.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in [
        {"id": "q1", "question": "كم محطة في قطار الرياض؟"},
        {"id": "q2", "question": "لماذا علقت الدراسة في جدة؟"},
        {"id": "q3", "question": ""}]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("ask", "--batch", questions, "--out", out, "--store", corpus_store)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2", "q3"]
    assert "85" in rows[0]["answer"] and rows[0]["latency_ms"] > 0
    assert set(rows[0]) == {"id", "question", "answer", "abstained", "citations", "short", "time_window", "composer",
                            "note", "dropped", "latency_ms"}
    assert "error" in rows[2]


def test_cli_chat_keeps_history(store_copy):
    result = CliRunner().invoke(cli, ["chat", "--store", str(store_copy), "--json"],
                                input="ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟\nوماذا قالت الرئاسة السورية؟\n\n")
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(answers) == 2 and not answers[1]["abstained"]
    assert "الرئاسة السورية" in answers[1]["answer"]
