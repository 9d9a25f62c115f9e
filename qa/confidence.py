"""Whether to answer or abstain: a logistic model over three signals.

- ``support``: how well the chosen sentences answer the question (the
  composer's own score: idf-weighted question words they contain, their
  embedding similarity, their rank; see ``compose.support``);
- ``article_coverage``: the BM25-idf-weighted share of the question's terms
  found anywhere in the best-retrieved article.  A question about something
  the store lacks usually names a thing (a person, a team, a place) that the
  nearest article never mentions;
- ``dense``: the best cosine between the question and a retrieved passage.

The weights are not set by hand: ``python -m bench --condition calibration
--size full`` fits them on XQuAD-ar questions whose article is stored against
questions whose article is held out, and writes them with the threshold to
``bench/results/calibration.json``; a test keeps these constants equal to it.
"""

from __future__ import annotations

import functools
import math

from index import arabic
from index.documents import Article

FEATURES = ("support", "article_coverage", "dense")
# From bench/results/calibration.json: "model", and "model_without_dense" for
# a composer given neither an embedder nor retrieval cosines (its intercept is
# shifted so that the same threshold abstains as often on absent articles).
MODEL = {"coefficients": {"support": 9.519, "article_coverage": 5.1095, "dense": 13.4535}, "intercept": -16.5139}
MODEL_WITHOUT_DENSE = {"coefficients": {"support": 10.3134, "article_coverage": 5.5886}, "intercept": -5.8652}


def probability(evidence: dict[str, float | None], model: dict | None = None) -> float:
    """The modelled chance (0..1) that the stored articles answer the question."""
    if model is None:
        model = MODEL if evidence.get("dense") is not None else MODEL_WITHOUT_DENSE
    z = model["intercept"] + sum(w * evidence[k] for k, w in model["coefficients"].items())
    return 1.0 / (1.0 + math.exp(-z))


def article_coverage(question: str, article: Article | None, idf=None) -> float:
    """The ``idf``-weighted share of the question's BM25 terms that occur in
    ``article`` (headline or text); ``idf`` maps terms to weights (all 1 if None)."""
    terms = list(dict.fromkeys(arabic.content_terms(question)))
    if not terms or article is None:
        return 0.0
    weights = idf(terms) if idf is not None else {t: 1.0 for t in terms}
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    present = _article_terms(article)
    return sum(w for t, w in weights.items() if t in present) / total


def _article_terms(article: Article) -> frozenset[str]:
    return _terms_of(article.title or "", article.text)


@functools.lru_cache(maxsize=256)  # follow-ups and busy topics hit the same articles
def _terms_of(title: str, text: str) -> frozenset[str]:
    return frozenset(arabic.content_terms(f"{title}\n{text}"))
