"""Fitting the sentence scorer (qa/scorer.py) from labelled candidates.

For every question whose article is stored, the real composer's candidates
and features are recorded (``dump``); a candidate is positive when it
contains a normalised gold answer.  Three model families are compared out of
fold (folds by article, both QA sets pooled): a conditional logit (softmax
over one question's candidates: the shipped kind), a pointwise logistic
regression and gradient-boosted trees.  The answer-length policy, the cost
per word a further sentence must be worth, is fitted on the same folds.

Pure functions below take ``rows``: one dict per question with ``X`` (its
candidates' feature matrix), ``y`` (0/1 labels), ``words`` and ``fold``.
"""

from __future__ import annotations

import statistics

import numpy as np

from .data import contains_gold

L2_GRID = (0.1, 1.0, 10.0, 100.0)  # ridge strengths tried by inner cross-validation
COST_GRID = (0.0, *np.geomspace(1e-4, 0.05, 45).tolist(), float("inf"))
MAX_MEDIAN_WORDS = 42  # the policy's constraint; the target is <= 45, a margin for the real composer
LIMIT, BUDGET = 3, 70  # sentences and words, as qa/select.py
COSINE_FEATURES = ("cosine", "cosine_gap", "cosine_rank", "window_cosine", "previous_cosine", "next_cosine")


# -- recording -----------------------------------------------------------------------------------
def dump(qa, questions: list[dict], log=print) -> list[dict]:
    """One row per question: its candidates' features and labels, as the
    composer computes them."""
    rows = []
    composer = qa.composer
    for i, question in enumerate(questions, start=1):
        request = qa.request(question["question"])
        sentences, terms = composer.candidates(request)
        if sentences and terms:
            matrix, _ = composer.featurize(request, sentences, terms)
        else:
            matrix = np.zeros((0, len(_features())))
        rows.append({"id": question["id"], "set": question["set"], "article_id": question["article_id"],
                     "X": matrix.astype(np.float32),
                     "y": np.array([contains_gold(s.text, question["answers"]) for s in sentences], dtype=np.int8),
                     "words": np.array([s.words for s in sentences], dtype=np.int16)})
        if i % 200 == 0:
            log(f"  scorer features: {i}/{len(questions)} questions")
    return rows


def _features():
    from qa.features import FEATURES

    return FEATURES


# -- the conditional logit -------------------------------------------------------------------------
def standardise(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    x = np.concatenate([r["X"] for r in rows if len(r["X"])]).astype(np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def _stack(rows, mean, scale, zero: tuple[int, ...] = ()):
    """Learnable rows (at least one positive and one negative) stacked: X, y, group index."""
    kept = [r for r in rows if r["y"].any() and not r["y"].all()]
    x = (np.concatenate([r["X"] for r in kept]).astype(np.float64) - mean) / scale
    if zero:
        x[:, list(zero)] = 0.0
    y = np.concatenate([r["y"] for r in kept]).astype(bool)
    groups = np.concatenate([np.full(len(r["y"]), g) for g, r in enumerate(kept)])
    return x, y, groups, len(kept)


def fit_clogit(rows: list[dict], mean, scale, l2: float, zero: tuple[int, ...] = ()) -> np.ndarray:
    """Weights maximising, over questions, the log of the softmax mass on
    its positive candidates, with an L2 penalty ``l2``."""
    from scipy.optimize import minimize

    x, y, groups, n = _stack(rows, mean, scale, zero)

    def loss(w):
        z = x @ w
        zmax = np.full(n, -np.inf)
        np.maximum.at(zmax, groups, z)
        e = np.exp(z - zmax[groups])
        total = np.bincount(groups, e, n)
        positive = np.bincount(groups, e * y, n)
        value = -np.sum(np.log(positive) - np.log(total)) + 0.5 * l2 * w @ w
        p_all, p_pos = e / total[groups], np.where(y, e / positive[groups], 0.0)
        grad = x.T @ (p_all - p_pos) + l2 * w
        return value, grad

    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    w = result.x
    if zero:
        w[list(zero)] = 0.0
    return w


def softmax_scores(rows: list[dict], model: dict, without_vectors: bool = False) -> list[np.ndarray]:
    w = np.asarray(model["weights_without_vectors" if without_vectors else "weights"])
    mean, scale = np.asarray(model["mean"]), np.asarray(model["scale"])
    out = []
    for r in rows:
        if not len(r["X"]):
            out.append(np.zeros(0))
            continue
        z = ((r["X"].astype(np.float64) - mean) / scale) @ w
        e = np.exp(z - z.max())
        out.append(e / e.sum())
    return out


def fit_model(rows: list[dict], l2: float | None = None, without_vectors: bool = True) -> dict:
    """A scorer model (the JSON ``qa/scorer.py`` loads, without ``select``);
    ``without_vectors`` also fits the weights for candidates with no cosines."""
    features = _features()
    mean, scale = standardise(rows)
    l2 = l2 if l2 is not None else choose_l2(rows)
    zero = tuple(features.index(f) for f in COSINE_FEATURES)
    weights = fit_clogit(rows, mean, scale, l2).round(6).tolist()
    return {"model": "conditional-logit", "features": list(features), "mean": mean.round(6).tolist(),
            "scale": scale.round(6).tolist(), "weights": weights, "l2": l2,
            "weights_without_vectors": fit_clogit(rows, mean, scale, l2, zero).round(6).tolist()
            if without_vectors else weights}


def choose_l2(rows: list[dict], folds: int = 3) -> float:
    """The ridge strength with the best inner out-of-fold top-1 accuracy."""
    inner = [hash_fold(r["article_id"], folds, salt="inner") for r in rows]
    best, chosen = -1.0, L2_GRID[0]
    for l2 in L2_GRID:
        hits = []
        for f in range(folds):
            train = [r for r, g in zip(rows, inner) if g != f]
            test = [r for r, g in zip(rows, inner) if g == f]
            model = fit_model(train, l2, without_vectors=False)
            hits += [bool(len(p) and r["y"][int(np.argmax(p))]) for r, p in zip(test, softmax_scores(test, model))]
        if np.mean(hits) > best:
            best, chosen = float(np.mean(hits)), l2
    return chosen


def hash_fold(key: str, folds: int, salt: str = "") -> int:
    import hashlib

    return int(hashlib.sha256(f"{salt}{key}".encode("utf-8")).hexdigest(), 16) % folds


# -- other families, for the comparison -----------------------------------------------------------
def pointwise_scores(train: list[dict], test: list[dict], family: str) -> list[np.ndarray]:
    """Per-candidate probabilities from a pointwise classifier (sklearn)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.concatenate([r["X"] for r in train if len(r["X"])])
    y = np.concatenate([r["y"] for r in train if len(r["X"])])
    if family == "logistic":
        model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
    else:
        model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=15,
                                               l2_regularization=1.0, random_state=0)
    model.fit(x, y)
    return [model.predict_proba(r["X"])[:, 1] if len(r["X"]) else np.zeros(0) for r in test]


# -- the answer-length policy ------------------------------------------------------------------------
def simulate(p: np.ndarray, y: np.ndarray, words: np.ndarray, cost: float) -> tuple[bool, int]:
    """(gold in the answer, answer words) when the best sentence is taken,
    then each next one whose probability is worth its words (qa/select.py)."""
    if not len(p):
        return False, 0
    order = np.argsort(-p)
    chosen = [order[0]]
    total = int(words[order[0]])
    for i in order[1:]:
        if len(chosen) >= LIMIT:
            break
        if p[i] >= cost * words[i] and total + words[i] <= BUDGET:
            chosen.append(i)
            total += int(words[i])
    return bool(y[chosen].any()), total


def policy_scores(rows: list[dict], scores: list[np.ndarray], cost: float) -> dict:
    outcomes = [simulate(p, r["y"], r["words"], cost) for r, p in zip(rows, scores)]
    answered = [w for _, w in outcomes if w]
    return {"gold_in_answer": float(np.mean([g for g, _ in outcomes])) if outcomes else 0.0,
            "median_words": float(statistics.median(answered)) if answered else 0.0,
            "top1": float(np.mean([bool(len(p) and r["y"][int(np.argmax(p))]) for r, p in zip(rows, scores)])),
            "ceiling": float(np.mean([bool(r["y"].any()) for r in rows]))}


def choose_cost(rows: list[dict], scores: list[np.ndarray]) -> float:
    """The cost per word with the most gold answers whose median answer
    stays within MAX_MEDIAN_WORDS (the largest such cost on ties: shorter)."""
    best, chosen = -1.0, float("inf")
    for cost in COST_GRID:
        s = policy_scores(rows, scores, cost)
        if s["median_words"] <= MAX_MEDIAN_WORDS and s["gold_in_answer"] >= best - 1e-12:
            best, chosen = s["gold_in_answer"], cost
    return chosen
