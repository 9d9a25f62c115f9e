"""Abstention: the confidence model and the threshold, fitted on recorded answers.

Records come from one pass with abstention off (``bench/quality.py``): each
holds the composer's evidence, whether the question's article is stored,
and whether the answer holds the gold answer.  Everything here is offline
arithmetic over them, so a new calibration needs no rerun of the questions.
``python -m bench --condition calibration`` writes what this fits to
``bench/results/calibration.json``.
"""

from __future__ import annotations

import numpy as np

from .quality import abstains, answer_scores
from .scorer import hash_fold


def youden(records: list[dict], threshold: float) -> float:
    """Answer-when-stored rate minus answer-when-absent rate."""
    s = answer_scores(records, threshold)
    if s["abstain_when_absent"] is None:
        return 1 - s["false_abstain"]
    return (1 - s["false_abstain"]) + s["abstain_when_absent"] - 1


def candidate_thresholds(records: list[dict]) -> list[float]:
    """Midpoints between consecutive distinct confidences, plus both ends."""
    values = sorted({round(r["confidence"], 6) for r in records})
    if not values:
        return [0.0]
    mids = [(a + b) / 2 for a, b in zip(values, values[1:])]
    return [values[0] - 1e-6, *mids, values[-1] + 1e-6]


# The abstention target of the answers issue: abstain on at least this share
# of questions whose article is not stored (both QA sets together: requiring
# it of ARCD alone costs 17% of XQuAD's answerable questions, see the report).
ABSTAIN_TARGET = 0.8
OBJECTIVE = (f"the lowest threshold that abstains on >= {ABSTAIN_TARGET:.0%} of held-out questions, the QA sets pooled "
             "(answer as much as possible at the abstention target; Youden's J when no threshold reaches it)")


def absent_abstained(records: list[dict], threshold: float) -> float:
    """The smallest abstain_when_absent over the QA sets in ``records``."""
    values = []
    for qa_set in {r.get("set", "xquad") for r in records}:
        held = [r for r in records if not r["stored"] and r.get("set", "xquad") == qa_set]
        if held:
            values.append(sum(abstains(r, threshold) for r in held) / len(held))
    return min(values) if values else 0.0


def choose_threshold(records: list[dict], every_set: bool = False) -> float:
    """The lowest threshold meeting ABSTAIN_TARGET on the pooled held-out
    questions (``every_set``: in each QA set); without held-out questions or
    when none meets it, the one maximising Youden's J (middle of ties)."""
    grid = candidate_thresholds(records)
    if every_set:
        meeting = [t for t in grid if absent_abstained(records, t) >= ABSTAIN_TARGET]
    else:
        meeting = [t for t in grid if (answer_scores(records, t)["abstain_when_absent"] or 0.0) >= ABSTAIN_TARGET]
    if meeting:
        return float(min(meeting))
    scores = [youden(records, t) for t in grid]
    best = max(scores)
    ties = [t for t, s in zip(grid, scores) if s >= best - 1e-12]
    return float(ties[len(ties) // 2])


def cross_validate(records: list[dict], folds: int = 5, refit: bool = False) -> dict:
    """Choose the threshold (and with ``refit`` fit the confidence model first)
    on all folds but one and score that one; returns the out-of-fold scores,
    each fold's threshold, and the threshold (and model) chosen on everything."""
    by_fold = [[r for r in records if hash_fold(r["article_id"], folds) == f] for f in range(folds)]
    chosen, scored = [], []
    for f in range(folds):
        train = [r for g in range(folds) if g != f for r in by_fold[g]]
        test = by_fold[f]
        if refit and len({bool(r["stored"]) for r in train}) == 2:  # a fold of one kind keeps the shipped model
            model = fit_confidence(train)
            train, test = with_confidence(train, model), with_confidence(test, model)
        t = choose_threshold(train)
        chosen.append(round(t, 4))
        scored.extend({**r, "_threshold": t} for r in test)
    # each record judged at its own fold's threshold
    scored = [{**r, "abstained_raw": abstains(r, r["_threshold"])} for r in scored]
    oof = answer_scores(scored, threshold=-1.0)
    out = {"fold_thresholds": chosen, "out_of_fold": oof, "scored": scored}
    if refit and len({bool(r["stored"]) for r in records}) == 2:
        out["model"] = fit_confidence(records)
        records = with_confidence(records, out["model"])
    out["threshold"] = round(choose_threshold(records), 4)
    return out


# -- the confidence model ------------------------------------------------------------------------
def fit_confidence(records: list[dict], features=None) -> dict:
    """Logistic regression of "the article is stored" on the composer's
    evidence (qa/confidence.py FEATURES), each weight kept to the side
    ``qa.confidence.DIRECTIONS`` gives it (evidence of an answer never lowers
    confidence); returns coefficients and intercept."""
    from scipy.optimize import minimize

    from qa.confidence import DIRECTIONS, FEATURES

    features = list(features or FEATURES)
    raw = np.array([[r["evidence"].get(k) or 0.0 for k in features] for r in records], dtype=np.float64)
    y = np.array([bool(r["stored"]) for r in records], dtype=np.float64)
    # fitted on standardised signals (the cosine moves in hundredths, the logit in units:
    # unscaled, the optimiser stops far from the optimum), then brought back to raw units
    mean, scale = raw.mean(axis=0), raw.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x1 = np.hstack([(raw - mean) / scale, np.ones((len(raw), 1))])
    l2 = 1.0 / CONFIDENCE_C

    def loss(w):
        z = x1 @ w
        p = 1.0 / (1.0 + np.exp(-z))
        value = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * w[:-1] @ w[:-1]
        grad = x1.T @ (p - y)
        grad[:-1] += l2 * w[:-1]
        return value, grad

    bounds = [(0.0, None) if DIRECTIONS.get(k, 0) > 0 else (None, 0.0) if DIRECTIONS.get(k, 0) < 0 else (None, None)
              for k in features] + [(None, None)]
    fitted = minimize(loss, np.zeros(x1.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds).x
    w = np.append(fitted[:-1] / scale, fitted[-1] - np.sum(fitted[:-1] * mean / scale))
    return {"coefficients": {k: round(float(c), 4) for k, c in zip(features, w[:-1])},
            "intercept": round(float(w[-1]), 4)}


def fit_without_vectors(records: list[dict], threshold: float, features=None) -> dict:
    """The model for a composer with no cosine at hand, its intercept shifted
    so that ``threshold`` (chosen for the full model) meets the same target."""
    from qa.confidence import FEATURES

    model = fit_confidence(records, [k for k in (features or FEATURES) if k != "dense"])
    own = choose_threshold(with_confidence(records, model))
    logit = lambda p: float(np.log(p / (1 - p)))  # noqa: E731
    model["intercept"] = round(model["intercept"] + logit(threshold) - logit(own), 4)
    return model


UNSEEN_COST = 0.005  # the unseen-terms rule may cost at most this share of a set's right answers


def fit_unseen_share(records: list[dict]) -> float:
    """The lowest share of never-seen question terms at which abstaining
    costs at most UNSEEN_COST of each QA set's stored questions that were
    answered with the gold answer (records with abstention off)."""
    shares = sorted({round(r["evidence"].get("unseen") or 0.0, 4) for r in records} - {0.0})
    for share in shares:
        if all(_right_lost(records, qa_set, share) <= UNSEEN_COST for qa_set in {r.get("set", "xquad") for r in records}):
            return share
    return 1.01  # never


def _right_lost(records: list[dict], qa_set: str, share: float) -> float:
    stored = [r for r in records if r["stored"] and r.get("set", "xquad") == qa_set]
    lost = sum(1 for r in stored if r["gold_in_answer"] and (r["evidence"].get("unseen") or 0.0) >= share - 1e-9)
    return lost / (len(stored) or 1)


CONFIDENCE_C = 10.0  # light L2: a handful of features on 0..1-ish scales, ~1,900 questions


def with_confidence(records: list[dict], model: dict | None = None, path: str = "") -> list[dict]:
    """Copies of ``records`` whose ``confidence`` is recomputed from their
    recorded evidence, by ``model`` or by the models in ``path`` (default the
    shipped ones): a new calibration needs no rerun of the questions."""
    from qa.confidence import probability

    return [{**r, "confidence": round(probability(r["evidence"], model, path), 6)} for r in records]


def threshold_curve(records: list[dict], steps: int = 41) -> list[dict]:
    lo = min((r["confidence"] for r in records), default=0.0)
    hi = max((r["confidence"] for r in records), default=1.0)
    grid = np.linspace(min(0.0, lo), max(1.0, hi), steps)
    return [{"threshold": round(float(t), 4), **{k: v for k, v in answer_scores(records, float(t)).items()
                                                  if k in ("gold_in_answer", "false_abstain", "abstain_when_absent")}}
            for t in grid]
