"""Typos in questions, read as the word the articles use.

Crowd-written questions are full of them («الصرطان», «قطاه غزة», «بلجيكيا»,
«ماهو»): a word no stored article has is one the store cannot match, and a
question about something the store knows looks like one about something it
lacks.  A question word that no chunk contains, one edit (a letter deleted,
inserted, replaced, or two swapped) away from a word the articles use in at
least ``MIN_CHUNKS`` chunks, is read as the most used such word.  Known
place names are left alone: «الدمام» is not a misspelt «الامام».

    correct("كم شخص مات بالصرطان؟", store.lexical().words)   # «… بالسرطان؟»
"""

from __future__ import annotations

import re
from typing import Mapping

from index import arabic

from . import rules

MIN_LENGTH = 4  # shorter words have too many neighbours one edit away
MIN_CHUNKS = 2  # a correction must be a word the articles use more than once
# Letters of the search spelling (one alef, ة→ه, ى→ي): what an edit may insert or put instead.
LETTERS = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_WORD = re.compile(r"[^\W\d_]+")


def correct(question: str, words: Mapping[str, int]) -> str:
    """``question`` with glued question words split and misspelt words
    replaced (in search spelling); unchanged when nothing needs it."""
    if not words:
        return _unglue(question)

    def fix(match: re.Match) -> str:
        word = match.group()
        norm = arabic.normalize(word)
        better = best_spelling(norm, words)
        return better if better is not None else word

    return _WORD.sub(fix, _unglue(question))


def best_spelling(word: str, words: Mapping[str, int]) -> str | None:
    """The most used known word one edit from ``word``, if ``word`` is unknown."""
    if len(word) < MIN_LENGTH or word in words or word in arabic.STOPWORDS or _protected(word):
        return None
    found = [(words[w], w) for w in edits(word) if words.get(w, 0) >= MIN_CHUNKS]
    return max(found)[1] if found else None


def edits(word: str) -> set[str]:
    """Every string one deletion, swap, replacement or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in LETTERS if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}


def _protected(word: str) -> bool:
    """Place names, with or without a clitic, are never "corrected"."""
    bare = [word, *(word[len(p):] for p in ("و", "ب", "ل", "ف") if word.startswith(p))]
    return any(b in rules.PLACE_NAMES or f"ال{b}" in rules.PLACE_NAMES for b in bare)


def _unglue(question: str) -> str:
    """«ماهو» → «ما هو»: question words typed without their space."""
    def split(match: re.Match) -> str:
        return rules.GLUED_WORDS.get(arabic.normalize(match.group()), match.group())
    return _WORD.sub(split, question)
