"""What a question asks for: its kind (date, number, person…), its content
words, whether it asks for a list of points, and the cues that make a
sentence look like that kind of answer.

Everything works on ``index.arabic`` normalised words; the word lists are
in ``qa/rules.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index import arabic

from . import rules
from .rules import SAID

_YEAR = re.compile(r"^(1[0-9]|20)\d\d$")


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # when | count | who | where | why | how | what | which | yesno | other
    terms: tuple[str, ...]  # normalised content words, question words left out
    reported: bool  # asks what someone said («ماذا قالت الرئاسة؟»)
    broad: bool = False  # asks for the points of an event («ماذا ناقش…؟», «ما تفاصيل…؟»)


def analyze(text: str) -> Question:
    tokens = arabic.words(text.strip(rules.LEADING_NOISE))
    bare = [_drop_conjunction(t) for t in tokens]
    terms = tuple(dict.fromkeys(t for t, b in zip(tokens, bare) if _is_content(t, b)))
    kind = _kind(bare)
    # «ماذا قالت الرئاسة؟» asks what a source said; «من أعلن…؟» asks who, «متى أعلن…؟» when
    reported = kind in ("what", "other", "how", "yesno") and \
        any(b in rules.REPORTING_VERBS or b in rules.REPORTING_NOUNS for b in bare)
    return Question(text, kind, terms, reported, kind in ("what", "other") and _broad(bare))


def _drop_conjunction(token: str) -> str:
    """«ومتى» → «متى»: a leading و/ف before a question word."""
    if token[:1] in rules.CONJUNCTIONS and token[1:] in rules.QUESTION_WORDS:
        return token[1:]
    return token


def _is_content(token: str, bare: str) -> bool:
    if bare in rules.FRAME_WORDS or token in arabic.STOPWORDS:
        return False
    return len(token) > 1 or token.isdigit()


def _kind(bare: list[str]) -> str:
    if not bare:
        return "other"
    first, second = bare[0], bare[1] if len(bare) > 1 else ""
    if first in ("ما", "ماذا") and _strip_article(second) in rules.WHAT_NOUNS:
        return rules.WHAT_NOUNS[_strip_article(second)]
    if first in rules.QUESTION_PREPOSITIONS and second in rules.QUESTION_WORDS:
        first, second = second, bare[2] if len(bare) > 2 else ""
    if first in ("اي", "ايه") and _strip_article(second) in rules.WHICH_NOUNS:
        return rules.WHICH_NOUNS[_strip_article(second)]
    if first == "من" and second == "اين":
        return "where"
    if first in rules.QUESTION_WORDS:
        return rules.QUESTION_WORDS[first]
    return next((rules.QUESTION_WORDS[b] for b in bare if b in rules.ANYWHERE), "other")


def _broad(bare: list[str]) -> bool:
    """The first word after «ماذا»/«ما» (and «هي»/«هو») is a verb of
    discussing or a noun of contents: «ماذا ناقش…»، «ما أبرز…»."""
    rest = [b for b in bare[1:] if b not in ("هي", "هو")] if bare and bare[0] in ("ما", "ماذا") else []
    if not rest:
        return False
    head = _strip_article(rest[0])
    return rest[0] in rules.BROAD_VERBS or head in rules.BROAD_NOUNS


def _strip_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


# -- matching -----------------------------------------------------------------
@lru_cache(maxsize=65536)  # pure, and called for every term against every sentence
def word_keys(word: str) -> frozenset[str]:
    """Spellings a normalised word may match under: itself and its light stems
    (one clitic prefix and up to two suffixes off).  Snowball alone misses
    pairs such as «لانتخابات»/«الانتخابات» and «بيان»/«البيان»."""
    keys = {word}
    if word in rules.REPORTING_VERBS or (word[:1] in rules.CONJUNCTIONS and word[1:] in rules.REPORTING_VERBS):
        keys.add(SAID)
    for stem in _prefix_variants(word):
        keys.add(stem)
        for once in _suffix_variants(stem):
            keys.add(once)
            keys.update(_suffix_variants(once))
    return frozenset(k for k in keys if len(k) >= 3 or k.isdigit())  # SAID is long enough


def _prefix_variants(word: str) -> list[str]:
    return [word] + [word[len(p):] for p in rules.CLITIC_PREFIXES if word.startswith(p) and len(word) - len(p) >= 3]


def _suffix_variants(word: str) -> list[str]:
    return [word[:-len(s)] for s in rules.CLITIC_SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3]


def keys_of(words) -> frozenset[str]:
    """Every key of every word."""
    return frozenset().union(*(word_keys(w) for w in words)) if words else frozenset()


# -- answer-kind cues ---------------------------------------------------------
def answer_cue(kind: str, tokens: list[str]) -> float:
    """How much a sentence (its normalised words) looks like the kind of
    answer asked for, from 0 to 1.  Kinds without a shape score 0."""
    cue = _CUES.get(kind)
    return cue(tokens) if cue else 0.0


def has_cue(kind: str) -> bool:
    return kind in _CUES


def is_month(token: str) -> bool:
    return bool(word_keys(token) & rules.MONTHS.keys())


def is_year(token: str) -> bool:
    return bool(_YEAR.match(token))


def is_day(token: str) -> bool:
    """A day of the month written in digits («26»)."""
    return token.isdigit() and 1 <= int(token) <= 31


def _when(tokens: list[str]) -> float:
    for i, t in enumerate(tokens):
        if is_month(t) or word_keys(t) & rules.WEEKDAYS or is_year(t):
            return 1.0
        if t in ("يوم", "اليوم") and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            return 1.0
    if any(t.isdigit() for t in tokens) or any(word_keys(t) & rules.TIME_WORDS for t in tokens):
        return 0.5
    return 0.0


def _count(tokens: list[str]) -> float:
    if any(t.isdigit() for t in tokens):
        return 1.0
    return 0.7 if any(word_keys(t) & rules.NUMBER_WORDS for t in tokens) else 0.0


def _who(tokens: list[str]) -> float:
    return 0.7 if any(word_keys(t) & rules.PERSON_WORDS for t in tokens) else 0.0


def _where(tokens: list[str]) -> float:
    return 1.0 if any(word_keys(t) & rules.PLACE_WORDS for t in tokens) else 0.0


def _phrases(tokens: list[str], phrases: tuple[str, ...]) -> bool:
    joined = f" {' '.join(tokens)} "
    return any(f" {p} " in joined for p in phrases)


def _why(tokens: list[str]) -> float:
    return 1.0 if _phrases(tokens, rules.REASON_PHRASES) else 0.0


def _how(tokens: list[str]) -> float:
    if _phrases(tokens, rules.MANNER_PHRASES):
        return 1.0
    return 0.5 if _phrases(tokens, rules.REASON_PHRASES) else 0.0


_CUES = {"when": _when, "count": _count, "who": _who, "where": _where, "why": _why, "how": _how}
