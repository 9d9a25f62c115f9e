"""Sentence-aware chunking of cleaned Arabic articles.

Every chunk is an exact slice ``text[start:end]`` of its article, so the answer
side can quote sentences and point at their offsets.  Chunks never cross
articles; consecutive chunks share ``overlap`` sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import ACRONYM_LETTERS, ERA_BEFORE, INITIAL_LETTERS, LATIN_LETTER_NAMES, LETTER_LABELS

# A sentence ends at . ! ? ؟ ؛ (or a run of them, or an ellipsis) followed by
# white space, or at a line break.  A full stop between digits (2.5, 12.3.2021)
# is not followed by white space, so numbers and dates stay whole; a full
# stop after an initial («د. نادية») is no end either (``_initial``).
_SENTENCE_END = re.compile(r"[.!?؟؛…]+[\"'”»)\]]*(?=\s)|\n+")
_WORD_BEFORE = re.compile(r"(\S+)\s+(\S+)$|(\S+)$")
INITIAL_CONTEXT = 60  # characters before a full stop read for its two words
_OPENERS = "(«\"“'"  # an opening bracket or quote before a word is not part of it


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
        if match.group() == "." and _initial(text, start, match.start()):
            continue
        _append_trimmed(spans, text, start, match.end())
        start = match.end()
    _append_trimmed(spans, text, start, len(text))
    return spans


def _initial(text: str, start: int, stop: int) -> bool:
    """Whether the word ending at ``stop`` is an initial or a title letter
    (``rules.INITIAL_LETTERS``, ``rules.LATIN_LETTER_NAMES``) whose full stop
    goes on: not after a number (an era: «2015 م.»), another letter (an
    acronym: «بي بي سي.») or a word it labels («فيتامين د.»)."""
    found = _WORD_BEFORE.search(text, max(start, stop - INITIAL_CONTEXT), stop)
    if not found:
        return False
    before, word = (found.group(1), found.group(2)) if found.group(2) else ("", found.group(3))
    word = word.lstrip(_OPENERS).rsplit(".", 1)[-1]  # «أ.د» ends in the initial «د»
    if word not in INITIAL_LETTERS and word not in LATIN_LETTER_NAMES:
        return False
    if word in ERA_BEFORE and text[stop + 1:stop + 4].lstrip().startswith(ERA_BEFORE[word] + "."):
        return True  # «500 ق. م.»: the era's first letter
    before = before.lstrip(_OPENERS).rstrip(",،)")
    if ERA_BEFORE.get(before.rstrip(".")) == word:
        return False  # «ق. م.»: the era's last letter
    return not (before.isdigit() or before in ACRONYM_LETTERS or before in LETTER_LABELS)


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
