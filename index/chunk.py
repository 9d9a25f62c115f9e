"""Sentence-aware chunking of cleaned Arabic articles.

Every chunk is an exact slice ``text[start:end]`` of its article, so the answer
side can quote sentences and point at their offsets.  Chunks never cross
articles; consecutive chunks share ``overlap`` sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? ؟ ؛ (or a run of them, or an ellipsis) followed by
# white space, or at a line break.  A full stop between digits (2.5, 12.3.2021)
# is not followed by white space, so numbers and dates stay whole.
_SENTENCE_END = re.compile(r"[.!?؟؛…]+[\"'”»)\]]*(?=\s)|\n+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Chunk:
    article_id: str
    position: int
    start: int
    end: int
    text: str


def sentence_texts(text: str) -> list[str]:
    """The sentences of ``text``, once each: what the answer composer scores
    (and what the store keeps a vector of)."""
    return list(dict.fromkeys(text[s.start:s.end] for s in split_sentences(text)))


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text``, trimmed of surrounding white space."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        _append_trimmed(spans, text, start, match.end())
        start = match.end()
    _append_trimmed(spans, text, start, len(text))
    return spans


def _append_trimmed(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))


def chunk_article(article_id: str, text: str, size: int = 600, overlap: int = 1) -> list[Chunk]:
    """Group whole sentences into chunks of at most ``size`` characters (a
    single longer sentence becomes a chunk of its own), repeating the last
    ``overlap`` sentences of a chunk at the start of the next."""
    sentences = split_sentences(text)
    chunks: list[Chunk] = []
    first = 0
    while first < len(sentences):
        last = first
        while last + 1 < len(sentences) and sentences[last + 1].end - sentences[first].start <= size:
            last += 1
        start, end = sentences[first].start, sentences[last].end
        chunks.append(Chunk(article_id, len(chunks), start, end, text[start:end]))
        if last + 1 >= len(sentences):
            break
        first = max(first + 1, last + 1 - overlap)
    return chunks
