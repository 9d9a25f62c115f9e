"""The report's dated news QA section (bench/newsqa.py's results): ours
beside the LlamaIndex default pipeline, per question kind."""

from __future__ import annotations

from .report_tables import table

ROWS = [  # (metric, what it counts)
    ("gold_in_answer", "a gold answer in the answer (answerable questions)"),
    ("cited_gold", "a gold (right-dated) article cited (answerable)"),
    ("time_right_day", "time-qualified questions answered from the right day"),
    ("time_gold_in_answer", "time-qualified: a gold answer in the answer"),
    ("multi_two_reports", "several-report questions citing two gold articles or more"),
    ("abstain_when_absent", "no answer in the stored period: abstained"),
    ("false_abstain", "answerable but abstained"),
]


def newsqa_section(results: dict) -> list[str]:
    run = results.get("newsqa")
    if not run:
        return ["Not run (`python -m bench --condition newsqa`)."]
    m, peer = run["metrics"], run.get("peer", {})
    counts = (f"{m['questions']} questions over {run.get('articles', '?')} stored SaudiNewsNet articles "
              f"(every gold article and a seeded sample of the rest), asked at a fixed QA_TODAY per question: "
              f"{m['time_questions']} time-qualified, {m['multi_questions']} needing several reports, "
              f"{m['absent_questions']} with no answer in the stored period (a question may be of two kinds).")
    rows = [[f"{name}: {what}", m.get(name), peer.get(name)] for name, what in ROWS]
    return [f"Command: `{run['command']}` (code {run['code']['git_head']}, finished {run['finished']}, "
            f"{run['run_seconds']:.0f} s). {counts}", "",
            table(["metric", "ours (default composer)", "LlamaIndex default (retrieved text)"], rows), "",
            "The peer is scored on the two chunks it retrieves: it has no notion of the reference day and never "
            "abstains, so its abstain_when_absent is 0 and its false_abstain 0 by construction. "
            "Questions and licence: bench/newsqa/."]
