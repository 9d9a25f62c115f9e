"""How often the short answer (bold in the chat, ``short`` in ``--json``) is
right: pure functions over the records of an answer pass.

A short answer is right when it holds a gold answer or is a run of its
words («الصباغ» for «حمودة الصباغ»; also «مايو» for «12 مايو 2020», so
the measure is lenient about a short that is too short, never about one
that names something else).
"""

from __future__ import annotations

from .data import contains_gold, normalize_answer


def short_right(short: str | None, golds: list[str]) -> bool:
    """A short answer is right when it holds a gold answer or is part of one
    («الصباغ» for «حمودة الصباغ»): it is bold in the chat, so a wrong one misleads."""
    if not short:
        return False
    words = normalize_answer(short).split()
    return contains_gold(short, golds) or bool(words) and any(_within(words, normalize_answer(g).split()) for g in golds)


def _within(words: list[str], gold: list[str]) -> bool:
    return any(gold[i:i + len(words)] == words for i in range(len(gold) - len(words) + 1))


def short_scores(said: list[dict]) -> dict:
    """short_precision: right short answers among those given; short_recall:
    right ones among the answers that hold the gold and ask for a short
    kind («متى», «كم», «من», «أين»)."""
    given = [r for r in said if r.get("short")]
    wanted = [r for r in said if r.get("short_kind") and r["gold_in_answer"]]
    return {"short_given": len(given),
            "short_precision": sum(r.get("short_right", False) for r in given) / len(given) if given else None,
            "short_recall": sum(r.get("short_right", False) for r in wanted) / len(wanted) if wanted else None}
