"""Checking what a language model wrote against the passages it cites.

Each generated sentence (a *claim*) is held to the passage behind its
marker «[n]»:

- its numbers, months and named places must occur in that passage (after
  search normalisation): a date or a figure the passage lacks is invented;
- its content must be there: the idf-weighted share of its terms found in
  the passage (``coverage``) and the best e5 cosine between it and one of
  the passage's sentences (``cosine``) must reach the thresholds fitted by
  ``python -m bench --condition verify`` (``qa/models/verify.json``).

A claim its own passage does not support but another one does is re-cited
to that one; a claim none supports is dropped.  The sentence of the passage
that supports it best becomes the citation's exact quote.

    found = check(claims_of(text), sources, lookups)
    found.kept, found.dropped, found.recited
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import arabic
from index.chunk import split_sentences

from . import rules
from .facts import named

PATH = Path(__file__).resolve().parent / "models" / "verify.json"
# "Mostly another script": fewer than half of the letters are Arabic.
MIN_ARABIC_SHARE = 0.5
# How a model says the passages do not answer (normalised; see prompt.CANNOT_ANSWER).
CANNOT_PHRASES = tuple(arabic.normalize(p) for p in (
    "لا تجيب المقالات", "لا تتضمن المقالات", "لا تحتوي المقالات", "لا تذكر المقالات", "لم تذكر المقالات",
    "لا توجد في المقالات", "لا يوجد في المقالات", "لا تقدم المقالات", "لا تشير المقالات", "لم تشر المقالات",
    "لا أستطيع الإجابة", "لا يمكنني الإجابة", "لا تتوفر معلومات", "لا توجد معلومات", "لا تتوفر في المقالات",
    "ليس في المقالات", "لا تجيب المقالة", "لا تذكر المقالة", "لا تتضمن المقالة",
    "the articles do not", "the articles don't", "cannot answer", "can't answer",
))
ANSWER_KEY = "<generated>"  # the article id a claim's vector is asked for under (never stored: embedded now)
_GROUP = re.compile(r"((?:\s*\[\s*\d+\s*\])+)")
_NUMBER = re.compile(r"\d+")
_LEADING = "\u200f\u200e .،,؛;:!؟?-–—*"
# Labels a model puts before its text («الإجابة:»): formatting, not a claim.
LABELS = re.compile(r"^\s*(?:الإجابة|الاجابة|الجواب|الرد|answer)\s*[:：]\s*", re.IGNORECASE)


@dataclass
class Claim:
    text: str  # the sentence without its markers
    cited: list[int]  # the passage numbers (1-based) its markers name


@dataclass
class Source:
    """One numbered passage of the prompt and the candidate sentences inside it."""

    passage: object
    sentences: list  # qa.candidates.Sentence objects inside the passage
    terms: frozenset[str] = frozenset()
    facts: "Facts" = None

    def __post_init__(self):
        article = self.passage.article
        text = f"{article.title or ''}\n{self.passage.text}"
        self.terms = frozenset(arabic.content_terms(text))
        self.facts = facts_of(text)


@dataclass
class Facts:
    numbers: frozenset[str]
    months: frozenset[int]
    places: frozenset[str]
    words: frozenset[str] = frozenset()


@dataclass
class Support:
    source: int  # index into the sources (0-based)
    sentence: object  # the supporting candidate Sentence: the citation's quote
    coverage: float
    cosine: float | None
    facts: bool


@dataclass
class Result:
    kept: list[tuple[Claim, list[Support]]] = field(default_factory=list)
    dropped: int = 0
    recited: int = 0
    refused: bool = False  # the model said the passages do not answer


# -- thresholds ------------------------------------------------------------------------
@functools.cache
def thresholds() -> dict:
    """The fitted thresholds: ``coverage`` and ``cosine`` (with vectors) and
    ``coverage_without_vectors``."""
    return json.loads(PATH.read_text(encoding="utf-8"))


def supported(coverage: float, cosine: float | None, facts: bool, fitted: dict | None = None) -> bool:
    fitted = fitted or thresholds()
    if not facts:
        return False
    if cosine is None:
        return coverage >= fitted["coverage_without_vectors"]
    return coverage >= fitted["coverage"] and cosine >= fitted["cosine"]


# -- the text ----------------------------------------------------------------------------
def claims_of(text: str) -> list[Claim]:
    """The generated sentences with the passage numbers each cites.  Markers
    close their sentences («أ [1]. ب [2].»; «أ. ب [1]»: both cite 1), unless
    the text opens with one: then each group opens the sentences after it
    («[1] أ. [2] ب.»), as some models write."""
    pieces = _GROUP.split(text or "")
    leading = not arabic.words(pieces[0]) and len(pieces) > 1
    out = []
    for i in range(0, len(pieces), 2):
        if leading:
            body, group = pieces[i], pieces[i - 1] if i else ""
        else:
            body, group = pieces[i], pieces[i + 1] if i + 1 < len(pieces) else ""
        cited = list(dict.fromkeys(int(n) for n in _NUMBER.findall(group)))
        for span in split_sentences(body):
            sentence = LABELS.sub("", body[span.start:span.end].lstrip(_LEADING)).strip()
            if arabic.words(sentence):
                out.append(Claim(sentence, cited))
    return out


def arabic_share(text: str) -> float:
    """Arabic letters among all letters (1.0 for a text without letters)."""
    letters = [ch for ch in text if unicodedata.category(ch).startswith("L")]
    if not letters:
        return 1.0
    return sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"
               or "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff") / len(letters)


def in_arabic(text: str) -> bool:
    return arabic_share(_GROUP.sub(" ", text)) >= MIN_ARABIC_SHARE


def is_question(text: str) -> bool:
    return text.rstrip("”»\"') .").endswith(("؟", "?")) or text.startswith(("السؤال", "سؤال:"))


def says_cannot_answer(text: str) -> bool:
    shown = arabic.normalize(text)
    return any(p in shown for p in CANNOT_PHRASES)


def facts_of(text: str) -> Facts:
    tokens = arabic.words(text)
    months = frozenset(m for m in (_month(t) for t in tokens) if m)
    return Facts(frozenset(t for t in tokens if t.isdigit()), months, named(tokens), frozenset(tokens))


def facts_hold(claim: Facts, source: Facts) -> bool:
    """Every number, month and place of the claim is in the source."""
    if not claim.numbers <= source.numbers or not claim.months <= source.months:
        return False
    return all(_mentions(source.words, place) for place in claim.places - source.places)


def _month(token: str) -> int | None:
    for candidate in (token, token[1:] if token[:1] in "وبل" else token):
        if candidate in rules.MONTHS:
            return rules.MONTHS[candidate]
    return None


def _mentions(words: frozenset[str], place: str) -> bool:
    spellings = (place, *rules.PLACE_ALIASES.get(place, ()))
    return any(s in words or any(w.endswith(s) and len(w) - len(s) <= 2 for w in words) for s in spellings)


# -- the measures ----------------------------------------------------------------------------
def coverage(claim_terms: list[str], present: frozenset[str], idf=None) -> float:
    """The idf-weighted share of ``claim_terms`` found in ``present``."""
    terms = list(dict.fromkeys(claim_terms))
    if not terms:
        return 0.0
    weights = idf(terms) if idf is not None else {t: 1.0 for t in terms}
    total = sum(weights.get(t, 1.0) for t in terms)
    if total <= 0:
        return 0.0
    return sum(weights.get(t, 1.0) for t in terms if t in present) / total


def measure(claim: Claim, vector, source: Source, sentence_vectors: dict, idf=None, title_terms=None) -> Support | None:
    """How well ``source`` supports ``claim``, and its best sentence; None
    when the passage has no sentence to quote."""
    if not source.sentences:
        return None
    terms = arabic.content_terms(claim.text)
    cov = coverage(terms, source.terms, idf)
    holds = facts_hold(facts_of(claim.text), source.facts)
    title = title_terms if title_terms is not None else frozenset(arabic.content_terms(source.passage.article.title or ""))
    best, best_score, best_cosine = None, -np.inf, None
    for sentence in source.sentences:
        cos = None
        if vector is not None and sentence.key in sentence_vectors:
            cos = float(np.dot(vector, sentence_vectors[sentence.key]))
        own = coverage(terms, frozenset(arabic.content_terms(sentence.text)) | title, idf)
        score = own + (cos or 0.0)
        if score > best_score:
            best, best_score = sentence, score
        if cos is not None and (best_cosine is None or cos > best_cosine):
            best_cosine = cos
    return Support(-1, best, cov, best_cosine, holds)


# -- the check ------------------------------------------------------------------------------
def check(claims: list[Claim], sources: list[Source], lookups=None, fitted: dict | None = None) -> Result:
    """Each claim kept with the passages that support it (re-cited when only
    another one does), dropped when none does."""
    result = Result()
    idf = getattr(lookups, "idf", None)
    vectors = _vectors(claims, sources, lookups)
    for claim in claims:
        if says_cannot_answer(claim.text):
            result.refused = True
            continue
        if is_question(claim.text):  # the question echoed back answers nothing
            result.dropped += 1
            continue
        vector = vectors.get((ANSWER_KEY, claim.text))
        measured = {}

        def judged(i: int) -> Support | None:
            if i not in measured:
                found = measure(claim, vector, sources[i], vectors, idf)
                if found is not None:
                    found.source = i
                measured[i] = found
            return measured[i]

        own = [i - 1 for i in claim.cited if 1 <= i <= len(sources)]
        backing = [s for s in map(judged, own) if s and supported(s.coverage, s.cosine, s.facts, fitted)]
        if not backing:
            others = [s for s in map(judged, range(len(sources))) if s and s.source not in own
                      and supported(s.coverage, s.cosine, s.facts, fitted)]
            if others:
                backing = [max(others, key=lambda s: s.coverage + (s.cosine or 0.0))]
                result.recited += 1
        if backing:
            result.kept.append((claim, backing))
        else:
            result.dropped += 1
    return result


def _vectors(claims: list[Claim], sources: list[Source], lookups) -> dict:
    """Vectors of the claims and of every candidate sentence, in one request."""
    if lookups is None:
        return {}
    keys = [(ANSWER_KEY, c.text) for c in claims] + [s.key for src in sources for s in src.sentences]
    found = lookups.sentence_vectors(list(dict.fromkeys(keys))) or {}
    return {k: np.asarray(v, dtype=np.float64) for k, v in found.items()}
