"""Whether to answer or abstain: a logistic model over signals any composer's
draft has.

- ``support``: the composer's own evidence that its best sentence answers
  (for the extractive composer, the sentence scorer's logit);
- ``top_probability``: how clearly that sentence beats the other candidates;
- ``article_coverage``: the BM25-idf-weighted share of the question's terms
  found anywhere in the cited article (a question about something the store
  lacks usually names a thing the nearest article never mentions);
- ``dense``: the best cosine between the question and a retrieved passage;
- ``missing_rare``: the rarest question term the cited article lacks, as a
  share of the largest idf the store can give (1: a word no article has);
- ``answer_coverage`` and ``answer_missing_rare``: the same two measures
  over the quoted sentences themselves (an article about Saladin's era
  that never says when he died is no answer to «في أي عام توفي…»);
- ``question_terms``: how many content terms the question has (log): «اين
  ولد؟» names nobody, and is answered by luck if at all;
- ``unseen``: the share of the question's terms that no stored chunk has at
  all (a person the store never mentions: «ماذا ناقش الأسد وبوتين؟» once the
  article about them is deleted);
- ``article_phrases`` and ``answer_phrases``: the idf-weighted share of the
  question's phrases (pairs of consecutive content terms) that the cited
  article, and the quoted sentences, hold close together: an article on the
  same broad topic has the question's words, seldom its phrases.

The weights and the threshold are not set by hand: ``python -m bench
--condition calibration --size full`` fits them on XQuAD-ar and ARCD-train
questions whose article is stored against questions whose article is held
out, and writes them to ``qa/models/confidence.json`` (with the command) and
the fit's report to ``bench/results/calibration.json``.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from index import arabic
from index.documents import Article

from . import rules, time_rules

FEATURES = ("support", "top_probability", "article_coverage", "dense", "missing_rare",
            "answer_coverage", "answer_missing_rare", "question_terms", "unseen", "article_phrases", "answer_phrases")
# Which way each signal may push the confidence: a prior the fit keeps to
# (bench/abstention.py fit_confidence), not a fitted number.  Crowd-written
# questions with typos make "a question word no article has" look like
# evidence *for* an answer in ARCD; unconstrained, the fit learns that.
DIRECTIONS = {"support": 1, "top_probability": 1, "article_coverage": 1, "dense": 1, "missing_rare": -1,
              "answer_coverage": 1, "answer_missing_rare": -1, "question_terms": 1, "unseen": -1,
              "article_phrases": 1, "answer_phrases": 1}
PATH = Path(__file__).resolve().parent / "models" / "confidence.json"
# «اليوم»، «أمس» say when, not what (the time window reads them): an article
# that only says «أصدرت الرئاسة اليوم بياناً» is no evidence about «سعر النفط اليوم».
# «ماذا حدث…» asks what happened, not about «حدث» (rules.EVENT_VERBS).
NOT_CONTENT = rules.FRAME_WORDS | rules.REPORTING_VERBS | rules.EVENT_VERBS | frozenset(time_rules.RELATIVE_DAY_WORDS)
UNSEEN = "<unseen>"  # a term no chunk has: its idf is the largest the store gives


@functools.cache
def shipped(path: str | Path = "") -> dict:
    """The fitted models in ``path`` (default: the shipped file): ``model``,
    ``model_without_vectors`` (for a composer with no embeddings at hand) and
    the ``threshold``."""
    return json.loads(Path(path or PATH).read_text(encoding="utf-8"))


def threshold(path: str | Path = "") -> float:
    return float(shipped(path)["threshold"])


def unseen_share(path: str | Path = "") -> float:
    """The share of never-seen question terms at which the answer abstains
    whatever the model says (fitted: ``bench/abstention.py`` fit_unseen_share)."""
    return float(shipped(path).get("unseen_share", 1.01))


def probability(evidence: dict[str, float | None], model: dict | None = None, path: str | Path = "") -> float:
    """The modelled chance (0..1) that the stored articles answer the question."""
    if model is None:
        models = shipped(path)
        model = models["model"] if evidence.get("dense") is not None else models["model_without_vectors"]
    z = model["intercept"] + sum(w * (evidence.get(k) or 0.0) for k, w in model["coefficients"].items())
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def article_coverage(question: str, article: Article | None, idf=None) -> float:
    """The ``idf``-weighted share of the question's BM25 terms that occur in
    ``article`` (headline or text); ``idf`` maps terms to weights (all 1 if None)."""
    terms = question_terms(question)
    if not terms or article is None:
        return 0.0
    weights = _weights(terms, idf)
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    present = article_terms(article)
    return sum(w for t, w in weights.items() if t in present) / total


def text_coverage(question: str, texts: list[str], idf=None) -> float:
    """``article_coverage`` over plain texts (the quoted sentences)."""
    terms = question_terms(question)
    weights = _weights(terms, idf) if terms else {}
    total = sum(weights.values())
    if total <= 0 or not texts:
        return 0.0
    present = frozenset(arabic.content_terms("\n".join(texts)))
    return sum(w for t, w in weights.items() if t in present) / total


def missing_rare(question: str, articles: list[Article], idf=None) -> float:
    """The largest idf of a question term none of ``articles`` has, over the
    idf of a term no chunk has; 0 when every term is there."""
    if not articles:
        return 0.0
    return _rarest_missing(question, frozenset().union(*(article_terms(a) for a in articles)), idf)


def text_missing_rare(question: str, texts: list[str], idf=None) -> float:
    """``missing_rare`` over plain texts (the quoted sentences)."""
    if not texts:
        return 0.0
    return _rarest_missing(question, frozenset(arabic.content_terms("\n".join(texts))), idf)


def _rarest_missing(question: str, present: frozenset[str], idf) -> float:
    terms = question_terms(question)
    if not terms:
        return 0.0
    weights = _weights([*terms, UNSEEN], idf)
    ceiling = weights.pop(UNSEEN) or 1.0
    return max((w for t, w in weights.items() if t not in present), default=0.0) / ceiling


def unseen(question: str, idf=None) -> float:
    """The share of the question's terms no chunk has (their idf is the
    largest the store gives); 0 without a store to ask."""
    terms = question_terms(question)
    if not terms or idf is None:
        return 0.0
    weights = idf([*terms, UNSEEN])
    ceiling = weights.pop(UNSEEN)
    return sum(1 for w in weights.values() if w >= ceiling - 1e-9) / len(terms)


PHRASE_WINDOW = 2  # content terms apart that still make a phrase («دفاع فريق البانثرز»)


def phrase_coverage(question: str, texts: list[str], idf=None) -> float:
    """The ``idf``-weighted share of the question's phrases, pairs of its
    consecutive content terms, found within PHRASE_WINDOW terms of each other
    (either order) in ``texts``.  Crowd questions keep the phrases of the
    paragraph they were written from; an article that is only on the same
    broad topic has the words, seldom the phrases."""
    terms = question_terms(question)
    pairs = list(zip(terms, terms[1:]))
    if not pairs or not texts:
        return 0.0
    weights = _weights(terms, idf)
    present = frozenset().union(*(_pairs_of(t) for t in texts))
    total = sum(min(weights[a], weights[b]) for a, b in pairs)
    if total <= 0:
        return 0.0
    return sum(min(weights[a], weights[b]) for a, b in pairs if (a, b) in present) / total


def article_phrases(question: str, article: Article | None, idf=None) -> float:
    """``phrase_coverage`` over ``article``, headline and text."""
    return phrase_coverage(question, [_article_text(article)], idf) if article is not None else 0.0


@functools.lru_cache(maxsize=256)
def _pairs_of(text: str) -> frozenset[tuple[str, str]]:
    terms = _content_sequence(text)
    return frozenset(pair for i, a in enumerate(terms) for b in terms[i + 1:i + 1 + PHRASE_WINDOW]
                     for pair in ((a, b), (b, a)))


def question_terms(question: str) -> list[str]:
    """The question's BM25 terms without the words that only frame it
    («متى»، «كيف»، «هو»), ask what was said («قال»، «أعلن») or name a day
    relative to today («اليوم»): an article
    answering «متى جرى الاتصال؟» or «ماذا قال الكرملين؟» need not hold them,
    and in a small store they would count as terms no article has."""
    kept = [w for w in arabic.WORD.findall(question) if not arabic.in_words(arabic.normalize(w), NOT_CONTENT)]
    return list(dict.fromkeys(arabic.content_terms(" ".join(kept))))


def _weights(terms: list[str], idf) -> dict[str, float]:
    return idf(terms) if idf is not None else {t: 1.0 for t in terms}


def article_terms(article: Article) -> frozenset[str]:
    return _terms_of(_article_text(article))


def _article_text(article: Article) -> str:
    return f"{article.title or ''}\n{article.text}"


@functools.lru_cache(maxsize=256)  # follow-ups and busy topics hit the same articles
def _terms_of(text: str) -> frozenset[str]:
    return frozenset(_content_sequence(text))


@functools.lru_cache(maxsize=256)  # an article's terms and its phrases read one tokenisation
def _content_sequence(text: str) -> tuple[str, ...]:
    return tuple(arabic.content_terms(text))
