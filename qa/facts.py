"""Whether two sentences state the same facts: the rule behind every marker.

A marker group «[1][2]» after a sentence says each quote behind it says the
same.  Two sentences alike in most words still differ in what they state
when a number, a named place or the polarity differs:
«قتل خمسة أشخاص…» and «قتل اثنا عشر شخصا…» disagree, and are attributed
as a disagreement, never merged.

    same_facts(a_text, b_text)            # for any two sentences
    near_duplicate(a_words, b_words)      # alike enough to be one sentence
"""

from __future__ import annotations

from index import arabic

from . import rules
from .question import word_keys

DUPLICATE_JACCARD = 0.6  # content-word overlap above which two sentences read as one


def near_duplicate(a: frozenset[str], b: frozenset[str]) -> bool:
    """Content words (normalised) shared by most of the two sentences."""
    union = a | b
    return bool(union) and len(a & b) / len(union) >= DUPLICATE_JACCARD


def numbers(tokens: list[str]) -> tuple[str, ...]:
    """The numbers a sentence states, digits and number words alike, in order."""
    return tuple(t for t in tokens if any(c.isdigit() for c in t) or _bare(t) in rules.NUMBER_WORDS)


def negated(tokens: list[str]) -> bool:
    return any(_bare(t) in rules.NEGATIONS for t in tokens)


def named(tokens: list[str]) -> frozenset[str]:
    """The places it names (by the gazetteer, ``rules.PLACE_NAMES``)."""
    return frozenset(k for t in tokens for k in word_keys(t) if k in rules.PLACE_NAMES)


def same_facts(a: str, b: str) -> bool:
    """Whether sentences ``a`` and ``b`` agree on their numbers, names and
    polarity (they may differ in wording)."""
    ta, tb = arabic.words(a), arabic.words(b)
    if numbers(ta) != numbers(tb) or negated(ta) != negated(tb):
        return False
    return named(ta) == named(tb)


def _bare(token: str) -> str:
    return token[1:] if token[:1] in rules.CONJUNCTIONS and len(token) > 3 else token
