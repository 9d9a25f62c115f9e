"""The context a quote is shown in: whole sentences of its passage around it,
its paragraph breaks kept, cut only at sentence (else word) boundaries.

Quotes of one article whose contexts overlap share one excerpt, so a reader
never sees the same sentences twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.chunk import split_sentences

from .escape import esc

# Characters of context either side of a quote: about two sentences of news prose.
CONTEXT_CHARS = 240
ELLIPSIS = "…"
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass
class Mark:
    """A quote to highlight: ``text[start:end]`` of the article."""

    start: int
    end: int
    anchor: str  # the id the answer's marker links to
    label: str = ""  # the quote's letter when its article has several


@dataclass
class Excerpt:
    start: int
    end: int
    marks: list[Mark] = field(default_factory=list)
    cut_before: bool = False  # starts inside a sentence (at a word boundary)
    cut_after: bool = False


def locate(text: str, quote: str, start: int, end: int, passage_start: int, passage_end: int) -> tuple[int, int] | None:
    """The quote's offsets in ``text``: the given ones when they hold it, else
    where it first occurs in its passage (else anywhere in the article)."""
    if quote and 0 <= start < end <= len(text) and text[start:end] == quote:
        return start, end
    if not quote:
        return None
    found = text.find(quote, passage_start, passage_end)
    if found < 0:
        found = text.find(quote)
    return (found, found + len(quote)) if found >= 0 else None


def excerpt(text: str, passage_start: int, passage_end: int, mark: Mark, context: int = CONTEXT_CHARS) -> Excerpt:
    """Whole sentences of the passage around ``mark``, up to ``context``
    characters either side; a neighbour too long to fit is cut at a word."""
    passage_start, passage_end = min(passage_start, mark.start), max(passage_end, mark.end)
    spans = [(s.start + passage_start, s.end + passage_start)
             for s in split_sentences(text[passage_start:passage_end])]
    core = [s for s in spans if s[0] < mark.end and s[1] > mark.start]
    start = min([mark.start] + [s[0] for s in core])
    end = max([mark.end] + [s[1] for s in core])
    before = [s for s in spans if s[1] <= start][::-1]
    after = [s for s in spans if s[0] >= end]
    new_start, cut_before = _extend(text, before, start, context, backwards=True)
    new_end, cut_after = _extend(text, after, end, context, backwards=False)
    return Excerpt(new_start, new_end, [mark], cut_before, cut_after)


def _extend(text: str, neighbours: list[tuple[int, int]], edge: int, context: int, backwards: bool) -> tuple[int, bool]:
    """Take neighbouring sentences while they fit in ``context``; when the
    nearest does not fit, the part of it next to the quote, cut at a word."""
    reach = edge
    for s_start, s_end in neighbours:
        far = s_start if backwards else s_end
        if abs(edge - far) > context:
            if reach != edge:
                return reach, False
            return _word_cut(text, s_start, s_end, edge, context, backwards)
        reach = far
    return reach, False


def _word_cut(text, s_start, s_end, edge, context, backwards) -> tuple[int, bool]:
    if backwards:
        limit = max(s_start, edge - context)
        space = _next_space(text, limit, s_end)
        return (space + 1, True) if space is not None and space + 1 < s_end else (edge, False)
    limit = min(s_end, edge + context)
    space = text.rfind(" ", s_start, limit + 1)
    return (space, True) if space > s_start else (edge, False)


def _next_space(text: str, start: int, end: int) -> int | None:
    found = text.find(" ", start, end)
    return found if found >= 0 else None


def merge(excerpts: list[Excerpt]) -> list[Excerpt]:
    """Overlapping or touching excerpts of one article become one, with all their marks."""
    merged: list[Excerpt] = []
    for ex in sorted(excerpts, key=lambda e: (e.start, e.end)):
        last = merged[-1] if merged else None
        if last is not None and ex.start <= last.end:
            if ex.end > last.end:
                last.end, last.cut_after = ex.end, ex.cut_after
            last.marks.extend(ex.marks)
        else:
            merged.append(Excerpt(ex.start, ex.end, list(ex.marks), ex.cut_before, ex.cut_after))
    for ex in merged:
        ex.marks.sort(key=lambda m: m.start)
    return merged


def render_excerpt(text: str, ex: Excerpt) -> str:
    """The excerpt as escaped paragraphs, each quote in a ``<mark>``."""
    paragraphs = []
    for match in _PARAGRAPH.finditer(text, ex.start, ex.end):
        p_start, p_end = _strip(text, match.start(), match.end())
        if p_start >= p_end:
            continue
        pieces, pos = [], p_start
        for mark in ex.marks:
            if p_start <= mark.start < p_end:
                pieces.append(esc(text[pos:mark.start]))
                pieces.append(render_mark(mark, text[mark.start:mark.end]))
                pos = mark.end
        pieces.append(esc(text[pos:p_end]))
        paragraphs.append("".join(pieces))
    if not paragraphs:
        return ""
    if ex.cut_before:
        paragraphs[0] = f"{ELLIPSIS} {paragraphs[0]}"
    if ex.cut_after:
        paragraphs[-1] = f"{paragraphs[-1]} {ELLIPSIS}"
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def render_mark(mark: Mark, quote: str) -> str:
    """A highlighted quote, led by its letter when its article has several."""
    label = f'<span class="qa-qlabel">{esc(mark.label)}</span>' if mark.label else ""
    return f'<mark id="{esc(mark.anchor)}">{label}{esc(quote)}</mark>'


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
