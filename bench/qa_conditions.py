"""The answer conditions: fitting the sentence scorer, calibrating abstention,
and answer quality, on both QA sets (XQuAD-ar, ARCD-train).

- ``scorer``: records every stored question's candidates, compares model
  families out of fold (folds by article, the two sets pooled), fits the
  shipped conditional logit and its cost per word, and the models the
  answer passes need: one per fold (without that fold) and one per set
  (that set alone, for "fit on one, test on the other");
- ``calibration``: fits the confidence model on the out-of-fold answers of
  both sets and picks the threshold;
- ``quality``: answers every question three ways (shipped scorer: in
  sample; fold models: out of fold; the other set's model: cross-set) and
  reports every figure per set.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import numpy as np

from . import abstention, passes, quality, scorer
from .data import prepare

FOLDS = 5
SHIPPED = Path(__file__).resolve().parents[1] / "qa" / "models"


def models_dir(main) -> Path:
    """Where fitted models go: qa/models/ for the default embedding model,
    bench/results/models/<model>/ for another (QA_SCORER_MODEL and
    QA_CONFIDENCE_MODEL point the app at them)."""
    from index.settings import DEFAULT_MODEL

    if main.settings_for().model == DEFAULT_MODEL:
        return SHIPPED
    folder = main.RESULTS / "models" / main.precision()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# -- opening a set ----------------------------------------------------------------------------------
# ``main`` is the driver module (bench/__main__.py): its RUNS, RESULTS, log, settings_for, precision, command.
def open_set(main, size: str, qa_set: str, state: dict, chunk_size: int = 600):
    """(dataset, QA, folder, ingest report) for one QA set's store, built if
    missing; one cached embedder for every store."""
    from qa.api import QA

    ds = prepare(size, main.RUNS / "data", qa_set=qa_set)
    folder = passes.store_folder(main.RUNS, size, qa_set, main.precision(), chunk_size)
    if not (folder / "ingest.json").exists():
        main.log(f"ingesting {len(ds.articles)} articles of {qa_set} into {folder} (chunk size {chunk_size}) ...")
    from .speed import ensure_store

    ingest = ensure_store(folder, ds.corpus_files, main.settings_for(chunk_size))
    settings = main.settings_for(chunk_size, store=folder / "store", abstain_threshold=-1.0)
    cached = state.get("embedder")
    if cached is None:
        cached = state["embedder"] = quality.CachedEmbedder(QA(settings).store.embedder,
                                                            main.RUNS / f"embed-cache-{main.precision()}.pkl")
    return ds, quality.open_qa(settings, cached), folder, ingest


def all_rows(main, size: str, state: dict) -> list[dict]:
    key = ("rows", size)
    if key not in state:
        rows = []
        for qa_set in passes.QA_SETS:
            ds, qa, folder, _ = open_set(main, size, qa_set, state)
            rows += passes.scorer_rows(qa, ds.stored_questions, folder, main.log)
            state["embedder"].save()
        for r in rows:
            r["fold"] = scorer.hash_fold(r["article_id"], FOLDS)
        state[key] = rows
    return state[key]


# -- the scorer ---------------------------------------------------------------------------------------
def run_scorer(main, cond: dict, size: str, state: dict) -> dict:
    rows = all_rows(main, size, state)
    main.log(f"scorer: {len(rows)} questions, {sum(len(r['y']) for r in rows)} candidates")
    families = {name: _oof(rows, fn) for name, fn in _families().items()}
    shipped = scorer.fit_model(rows)
    oof_scores = families["conditional-logit"]
    shipped["select"] = {"cost_per_word": _round(scorer.choose_cost(rows, oof_scores))}
    folds = {str(f): _fold_model(rows, f, shipped["l2"]) for f in range(FOLDS)}
    sets = {s: _set_model([r for r in rows if r["set"] == s], shipped["l2"]) for s in passes.QA_SETS}
    report = {"families": {n: _per_set(rows, sc, shipped["select"]["cost_per_word"]) for n, sc in families.items()},
              "in_sample": _per_set(rows, scorer.softmax_scores(rows, shipped), shipped["select"]["cost_per_word"]),
              "cross_set": {f"{a}->{b}": scorer.policy_scores([r for r in rows if r["set"] == b],
                                                              scorer.softmax_scores([r for r in rows if r["set"] == b],
                                                                                    sets[a]), sets[a]["select"]["cost_per_word"])
                            for a in passes.QA_SETS for b in passes.QA_SETS if a != b},
              "l2": shipped["l2"], "cost_per_word": shipped["select"]["cost_per_word"],
              "weights": dict(zip(shipped["features"], shipped["weights"])), "fold_models": folds, "set_models": sets,
              "objective": f"conditional logit, L2 by inner 3-fold CV over {scorer.L2_GRID}; cost per word: the most "
                           f"gold answers with median answer <= {scorer.MAX_MEDIAN_WORDS} words, on out-of-fold scores; "
                           f"{FOLDS}-fold CV by article, XQuAD-ar and ARCD-train pooled"}
    if size == "full":
        shipped.update({"command": main.command(cond, size), "fitted_on": "XQuAD-ar + ARCD-train (stored questions)",
                        "questions": len(rows)})
        target = models_dir(main) / "sentence_scorer.json"
        target.write_text(json.dumps(shipped, indent=1) + "\n", encoding="utf-8")
        main.log(f"scorer: wrote {target}")
    name = "scorer.json" if size == "full" else f"scorer-{size}.json"
    (main.RESULTS / name).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    metrics = {f"{fam}_{s}_{k}": v for fam, per in report["families"].items() for s, m in per.items()
               for k, v in m.items() if k in ("top1", "gold_in_answer")}
    return {"metrics": {**metrics, "cost_per_word": shipped["select"]["cost_per_word"], "l2": shipped["l2"]},
            "report": {k: v for k, v in report.items() if k not in ("fold_models", "set_models")}}


def _families():
    def clogit(train, test):
        return scorer.softmax_scores(test, scorer.fit_model(train, 10.0, without_vectors=False))

    return {"conditional-logit": clogit,
            "logistic": lambda tr, te: scorer.pointwise_scores(tr, te, "logistic"),
            "gradient-boosting": lambda tr, te: scorer.pointwise_scores(tr, te, "gradient-boosting")}


def _oof(rows: list[dict], fit_and_score) -> list[np.ndarray]:
    out: list = [None] * len(rows)
    for f in range(FOLDS):
        train = [r for r in rows if r["fold"] != f]
        test = [i for i, r in enumerate(rows) if r["fold"] == f]
        for i, p in zip(test, fit_and_score(train, [rows[i] for i in test])):
            out[i] = p
    return out


def _fold_model(rows: list[dict], fold: int, l2: float) -> dict:
    """Fitted without ``fold``; its cost per word chosen on the other folds'
    inner out-of-fold scores, so nothing of ``fold`` is seen."""
    train = [r for r in rows if r["fold"] != fold]
    return _set_model(train, l2)


def _set_model(rows: list[dict], l2: float) -> dict:
    model = scorer.fit_model(rows, l2)
    inner = [scorer.hash_fold(r["article_id"], FOLDS - 1, salt="cost") for r in rows]
    scores: list = [None] * len(rows)
    for f in range(FOLDS - 1):
        train = [r for r, g in zip(rows, inner) if g != f]
        test = [i for i, g in enumerate(inner) if g == f]
        inner_model = scorer.fit_model(train, l2, without_vectors=False)
        for i, p in zip(test, scorer.softmax_scores([rows[i] for i in test], inner_model)):
            scores[i] = p
    model["select"] = {"cost_per_word": _round(scorer.choose_cost(rows, scores))}
    return model


def _per_set(rows, scores, cost) -> dict:
    return {s: scorer.policy_scores([r for r in rows if r["set"] == s],
                                    [p for r, p in zip(rows, scores) if r["set"] == s], cost)
            for s in passes.QA_SETS}


def _round(value: float) -> float:
    return float(f"{value:.6g}") if np.isfinite(value) else value


# -- answer passes ------------------------------------------------------------------------------------
def _models(main, size: str) -> dict:
    name = "scorer.json" if size == "full" else f"scorer-{size}.json"
    report = json.loads((main.RESULTS / name).read_text(encoding="utf-8"))
    shipped = json.loads((models_dir(main) / "sentence_scorer.json").read_text(encoding="utf-8"))
    return {"shipped": shipped, "folds": report["fold_models"], "sets": report["set_models"]}


def answer_records(main, size: str, mode: str, kind: str, state: dict, chunk_size: int = 600) -> list[dict]:
    """Every question of both sets answered with abstention off: ``kind`` is
    "in_sample" (shipped scorer), "out_of_fold" or "cross_set"."""
    key = ("answers", size, mode, kind, chunk_size)
    if key in state:
        return state[key]
    models = _models(main, size)
    records = []
    for qa_set in passes.QA_SETS:
        ds, qa, folder, _ = open_set(main, size, qa_set, state, chunk_size)
        if kind == "in_sample":
            chosen, pick = {"shipped": models["shipped"]}, lambda q: "shipped"
        elif kind == "out_of_fold":
            chosen, pick = models["folds"], lambda q: str(scorer.hash_fold(q["article_id"], FOLDS))
        else:
            other = next(s for s in passes.QA_SETS if s != qa_set)
            chosen, pick = {other: models["sets"][other]}, lambda q, o=other: o
        main.log(f"{kind} answers, {qa_set}: {len(ds.questions)} questions, mode {mode}")
        records += passes.answer_pass(qa, ds.questions, mode, kind, folder, chosen, pick, main.log,
                                      on_progress=state["embedder"].save)
        state["embedder"].save()
    state[key] = records
    return records


# -- calibration ----------------------------------------------------------------------------------------
def run_calibration(main, cond: dict, size: str, state: dict) -> dict:
    records = answer_records(main, size, "hybrid", "out_of_fold", state)
    unseen_share = abstention.fit_unseen_share(records)
    records = with_rules(records, unseen_share)
    cv = abstention.cross_validate(records, folds=FOLDS, refit=True)
    model, threshold = cv["model"], cv["threshold"]
    fitted = abstention.with_confidence(records, model)
    out = {"threshold": threshold, "model": model, "unseen_share": unseen_share,
           "model_without_vectors": abstention.fit_without_vectors(records, threshold),
           "fold_thresholds": cv["fold_thresholds"],
           "objective": abstention.OBJECTIVE + f"; logistic confidence model refitted in each fold; {FOLDS}-fold CV by "
                                            "article; fitted on out-of-fold answers of XQuAD-ar and ARCD-train",
           "size": size, "in_sample": _by_set(fitted, threshold), "out_of_fold": _oof_by_set(cv, records),
           "cross_set": cross_set_abstention(records),
           "curve": abstention.threshold_curve(fitted)}
    if size == "full":
        shipped = {"model": model, "model_without_vectors": out["model_without_vectors"], "threshold": threshold,
                   "unseen_share": unseen_share,
                   "features": list(model["coefficients"]), "command": main.command(cond, size)}
        target = models_dir(main) / "confidence.json"
        target.write_text(json.dumps(shipped, indent=1) + "\n", encoding="utf-8")
        main.log(f"calibration: wrote {target}")
        from qa import confidence

        confidence.shipped.cache_clear()  # what this process judges by from now on
    name = "calibration.json" if size == "full" else f"calibration-{size}.json"
    (main.RESULTS / name).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    metrics = {"threshold": threshold, "unseen_share": unseen_share}
    for s, m in out["out_of_fold"].items():
        metrics.update({f"cv_{s}_{k}": v for k, v in m.items() if not k.startswith("questions")})
    return {"metrics": metrics, "model": model, "curve": out["curve"], "fold_thresholds": cv["fold_thresholds"],
            "confidences": _confidences(fitted)}


def with_rules(records: list[dict], unseen_share: float) -> list[dict]:
    """Records as the shipped rules judge them: the unseen-terms rule abstains
    too (records made before it was fitted do not say so themselves)."""
    return [{**r, "abstained_raw": r["abstained_raw"] or (r["evidence"].get("unseen") or 0.0) >= unseen_share - 1e-9}
            for r in records]


def _by_set(records: list[dict], threshold: float) -> dict:
    return {s: quality.answer_scores([r for r in records if r["set"] == s], threshold) for s in passes.QA_SETS}


def _oof_by_set(cv: dict, records: list[dict]) -> dict:
    scored = cv["scored"]
    return {s: quality.answer_scores([r for r in scored if r["set"] == s], -1.0) for s in passes.QA_SETS}


def cross_set_abstention(records: list[dict]) -> dict:
    """Confidence model and threshold fitted on one set, applied to the other."""
    out = {}
    for a in passes.QA_SETS:
        train = [r for r in records if r["set"] == a]
        model = abstention.fit_confidence(train)
        threshold = abstention.choose_threshold(abstention.with_confidence(train, model))
        for b in passes.QA_SETS:
            if b != a:
                test = abstention.with_confidence([r for r in records if r["set"] == b], model)
                out[f"{a}->{b}"] = {**quality.answer_scores(test, threshold), "threshold": round(threshold, 4)}
    return out


def _confidences(records: list[dict]) -> dict:
    return {"stored": [r["confidence"] for r in records if r["stored"]],
            "held_out": [r["confidence"] for r in records if not r["stored"]]}


# -- quality ----------------------------------------------------------------------------------------------
def run_quality(main, cond: dict, size: str, state: dict) -> dict:
    """Per set: in-sample figures at the shipped threshold; with ``cross``
    also out-of-fold (scorer and confidence refitted without the fold) and
    cross-set (both fitted on the other set) figures."""
    mode, chunk_size = cond["mode"], int(cond.get("chunk_size", 600))
    from qa.confidence import threshold as shipped_threshold
    from qa.confidence import unseen_share

    share = unseen_share(_confidence_path(main))
    shipped = abstention.with_confidence(with_rules(answer_records(main, size, mode, "in_sample", state, chunk_size),
                                                 share), path=_confidence_path(main))
    threshold = shipped_threshold(_confidence_path(main))
    metrics, per_set = {}, {}
    for s in passes.QA_SETS:
        mine = [r for r in shipped if r["set"] == s]
        per_set[s] = {"in_sample": quality.summarise(mine, threshold)}
    if cond.get("cross"):
        oof = with_rules(answer_records(main, size, mode, "out_of_fold", state), share)
        cv = abstention.cross_validate(oof, folds=FOLDS, refit=True)
        cross = cross_set_records(with_rules(answer_records(main, size, mode, "cross_set", state), share), oof)
        for s in passes.QA_SETS:
            per_set[s]["out_of_fold"] = quality.answer_scores([r for r in cv["scored"] if r["set"] == s], -1.0)
            per_set[s]["cross_set"] = quality.answer_scores([r for r in cross if r["set"] == s], -1.0)
    for s, figures in per_set.items():
        for kind, m in figures.items():
            prefix = {"in_sample": "", "out_of_fold": "oof_", "cross_set": "cross_"}[kind]
            metrics.update({f"{s}_{prefix}{k}": v for k, v in m.items() if not k.startswith("questions")})
    return {"metrics": metrics, "per_set": per_set, "threshold": threshold, "chunk_size": chunk_size,
            "curve": abstention.threshold_curve(shipped) if cond.get("curve") else None,
            "confidences": _confidences(shipped) if cond.get("curve") else None,
            "words": {s: statistics.median([r["words"] for r in shipped if r["set"] == s and r["stored"]])
                      for s in passes.QA_SETS}}


def _confidence_path(main) -> str:
    return "" if models_dir(main) == SHIPPED else str(models_dir(main) / "confidence.json")


def cross_set_records(cross: list[dict], oof: list[dict]) -> list[dict]:
    """Cross-set answers judged by a confidence model and threshold fitted on
    the *other* set's out-of-fold answers (nothing of the test set seen)."""
    out = []
    for b in passes.QA_SETS:
        a = next(s for s in passes.QA_SETS if s != b)
        train = [r for r in oof if r["set"] == a]
        model = abstention.fit_confidence(train)
        threshold = abstention.choose_threshold(abstention.with_confidence(train, model))
        test = abstention.with_confidence([r for r in cross if r["set"] == b], model)
        out += [{**r, "abstained_raw": quality.abstains(r, threshold)} for r in test]
    return out
