"""An answer's citations as a reader is shown them: one entry per cited
article, its quotes lettered when there are several.

The answer JSON numbers each quote (``[1]``, ``[2]``, …). A person reading
the answer wants to know which quotes come from the same article, so the web
chat and the terminal number the *article* instead and letter its quotes in
the abjad order Arabic lists use: ``[1أ]``, ``[1ب]``, ``[2]``.

    sources = group_sources(answer.citations)
    text = relabel(answer.text, marker_labels(sources))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LETTERS = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"  # the abjad order Arabic lists are lettered in
MARKER = re.compile(r"\[(\d+)\]")  # a citation marker in the answer text: «[3]»


@dataclass
class Source:
    """One cited article and the citations (quotes) taken from it."""

    number: int
    citations: list = field(default_factory=list)

    @property
    def first(self):
        return self.citations[0]

    def label(self, citation) -> str:
        """The citation's letter within its article; none when it is the only one."""
        if len(self.citations) == 1:
            return ""
        return LETTERS[self.citations.index(citation) % len(LETTERS)]


def group_sources(citations) -> list[Source]:
    """Citations grouped by article, articles numbered in the order the answer cites them."""
    by_article: dict[str, Source] = {}
    for c in sorted(citations, key=lambda c: c.n):
        source = by_article.setdefault(c.article_id, Source(len(by_article) + 1))
        source.citations.append(c)
    return list(by_article.values())


def marker_labels(sources: list[Source]) -> dict[int, str]:
    """Each citation's number in the answer JSON → what a reader is shown: «1», «1أ»."""
    return {c.n: f"{s.number}{s.label(c)}" for s in sources for c in s.citations}


def relabel(text: str, labels: dict[int, str]) -> str:
    """``text`` with each ``[n]`` shown as ``[labels[n]]``; unknown numbers kept."""
    return MARKER.sub(lambda m: f"[{labels.get(int(m.group(1)), m.group(1))}]", text or "")


def short_at(text: str, short: str | None) -> int | None:
    """Where the short answer stands in the answer text, to bold it: its
    first occurrence outside a ``[n]`` marker and not inside a longer
    number («3» in «[3]», «49» in «1949»); None when there is none."""
    if not short:
        return None
    markers = [m.span() for m in MARKER.finditer(text)]
    start = text.find(short)
    while start >= 0:
        end = start + len(short)
        in_marker = any(a < end and start < b for a, b in markers)
        in_number = (short[0].isdigit() and start > 0 and text[start - 1].isdigit()) or (
            short[-1].isdigit() and end < len(text) and text[end].isdigit())
        if not in_marker and not in_number:
            return start
        start = text.find(short, start + 1)
    return None
