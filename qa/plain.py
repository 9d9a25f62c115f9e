"""An answer as plain text, for the terminal and scripts that read it:

    ‹the answer, each quote marked [1], [1أ], [1ب]…›
    الفترة: ‹the days the question named› · الأحدث أولاً
    ملاحظة: ‹how it was written›

    المصادر:
    [1] ‹title› (‹source› — ‹date›)
        [1أ] «‹quote›»
        [1ب] «‹quote›»
        ‹url›

Each cited article is listed once, its quotes under it, marked as in the
answer text (qa/sources.py: the same numbering as the web chat).
"""

from __future__ import annotations

from collections.abc import Callable

from .sources import group_sources, marker_labels, relabel, short_at


def render(answer, bold: Callable[[str], str] | None = None) -> str:
    """``answer`` (a qa.answer.Answer) as text; ``bold``, where given, wraps
    the short answer (the CLI passes terminal bold, which pipes drop)."""
    sources = group_sources(answer.citations)
    labels = marker_labels(sources)
    lines = [_text(answer, labels, bold)]
    window = answer.time_window
    if window is not None and (window.dated or window.latest):
        lines.append(" · ".join(x for x in (window.dated and f"الفترة: {window.text}",
                                           window.latest and "الأحدث أولاً") if x))
    if answer.note:
        lines.append(f"ملاحظة: {answer.note}")
    if sources:
        lines.append("\nالمصادر:")
    for source in sources:
        first = source.first
        meta = " — ".join(x for x in (first.source, first.published) if x)
        lines.append(f"[{source.number}] {first.title or first.article_id}" + (f" ({meta})" if meta else ""))
        for c in source.citations:
            mark = f"[{labels[c.n]}] " if len(source.citations) > 1 else ""
            lines.append(f"    {mark}«{c.quote}»")
        if first.url:
            lines.append(f"    {first.url}")
    return "\n".join(lines)


def _text(answer, labels: dict[int, str], bold) -> str:
    text = answer.text or ""
    short = answer.short
    at = short_at(text, short) if bold is not None else None
    if at is None:
        return relabel(text, labels)
    return relabel(text[:at], labels) + bold(short) + relabel(text[at + len(short):], labels)
