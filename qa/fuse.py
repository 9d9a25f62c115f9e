"""Rank fusion as pure functions over ranked lists of ids.

Reciprocal rank fusion (Cormack et al., 2009) needs no score calibration
between retrievers, which matters here: cosine similarities and BM25 scores
live on unrelated scales. ``k=60`` is the paper's default.
"""

from __future__ import annotations


def rrf(rankings: list[list[str]], k: int = 60, weights: list[float] | None = None) -> list[tuple[str, float]]:
    """Fuse ranked id lists (best first) into one, best first.

    An id scores ``sum(weight / (k + rank))`` over the lists it appears in,
    ranks starting at 1. Ties keep the order of first appearance.
    """
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(dict.fromkeys(ranking), start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def interpolate(scored: list[dict[str, float]], weights: list[float]) -> list[tuple[str, float]]:
    """Weighted sum of min-max normalised scores; an id missing from a list
    counts 0 there."""
    total: dict[str, float] = {}
    for scores, weight in zip(scored, weights):
        if not scores:
            continue
        low, high = min(scores.values()), max(scores.values())
        span = (high - low) or 1.0
        for item, score in scores.items():
            total[item] = total.get(item, 0.0) + weight * (score - low) / span
    return sorted(total.items(), key=lambda kv: -kv[1])
