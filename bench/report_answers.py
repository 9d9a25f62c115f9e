"""The report's answer sections: the sentence scorer, answers per QA set (in
sample, out of fold, cross-set), abstention.  Rendered from the saved
results of the scorer, calibration and quality conditions; nothing is
measured here."""

from __future__ import annotations

from .passes import QA_SETS
from .report_tables import fmt, table

SET_NAMES = {"xquad": "XQuAD-ar", "arcd": "ARCD-train"}
KINDS = {"in_sample": "in sample", "out_of_fold": "out of fold", "cross_set": "fit on the other set"}
ANSWER_KEYS = ["gold_in_answer", "median_words", "false_abstain", "abstain_when_absent", "quote_support",
               "short_precision", "short_recall"]


def scorer_section(results: dict) -> list[str]:
    s = results.get("scorer")
    if not s:
        return ["(scorer not run)"]
    r = s["report"]
    rows = [[family, SET_NAMES[q], m["top1"], m["gold_in_answer"], m["median_words"], m["ceiling"]]
            for family, per in r["families"].items() for q, m in per.items()]
    cross = [[pair.replace("xquad", "XQuAD-ar").replace("arcd", "ARCD-train").replace("->", " → "),
              m["top1"], m["gold_in_answer"], m["median_words"]] for pair, m in r["cross_set"].items()]
    weights = sorted(r["weights"].items(), key=lambda kv: -abs(kv[1]))
    return [f"`{s['command']}`: {r['objective']}. Chosen ridge strength {r['l2']}, cost per word "
            f"{r['cost_per_word']} (a further sentence is added when its probability of holding the answer is at "
            "least that times its words). Out of fold (the gold answer's sentence ranked first, gold in the "
            "answer the length policy builds, before abstention; ceiling: a candidate holds the gold):", "",
            table(["model family", "set", "top-1", "gold in answer", "median words", "ceiling"], rows), "",
            "Fitted on one set, tested on the other (the honest estimate for questions nobody tuned to):", "",
            table(["fit → test", "top-1", "gold in answer", "median words"], cross), "",
            "Weights of the shipped model (standardised features, `qa/features.py`):", "",
            table(["feature", "weight"], [[k, round(v, 3)] for k, v in weights])]


def answers_section(results: dict) -> list[str]:
    q = results.get("quality-hybrid")
    if not q:
        return ["(quality-hybrid not run)"]
    rows = []
    for s in QA_SETS:
        for kind, label in KINDS.items():
            m = q["per_set"][s].get(kind)
            if m:
                rows.append([SET_NAMES[s], label, *[m.get(k) for k in ANSWER_KEYS]])
    retrieval = [[SET_NAMES[s], *[q["per_set"][s]["in_sample"].get(k) for k in ("hit@1", "hit@5", "mrr@10")]]
                 for s in QA_SETS]
    return ["Every question of each set against that set's store (its stored articles + the news distractors), "
            "the composed answer scored (abstention = miss). *In sample*: the shipped scorer and confidence model; "
            "*out of fold*: both refitted without the question's fold (5 folds by article, both sets pooled); "
            "*fit on the other set*: both fitted on the other QA set only. short_precision: the short answer (bold "
            "in the chat) holds the gold or is part of it, among the short answers given; short_recall: the same, "
            "among the answers to «متى/كم/من/أين» that hold the gold.", "",
            table(["set", "fit", *ANSWER_KEYS], rows), "",
            "Retrieval (the gold article in `qa.search(question, k=10)`):", "",
            table(["set", "hit@1", "hit@5", "MRR@10"], retrieval)]


def modes_section(results: dict) -> list[str]:
    rows = []
    for name in ("quality-hybrid", "quality-dense", "quality-bm25"):
        r = results.get(name)
        if r:
            for s in QA_SETS:
                m = r["per_set"][s]["in_sample"]
                rows.append([name.split("-")[1], SET_NAMES[s], m["gold_in_answer"], m["median_words"],
                             m["false_abstain"], m["abstain_when_absent"], m["hit@1"], m["mrr@10"]])
    return [table(["retrieval", "set", "gold_in_answer", "median words", "false_abstain", "abstain_when_absent",
                   "hit@1", "MRR@10"], rows)] if rows else ["(not run)"]


def calibration_section(results: dict, size: str) -> list[str]:
    c = results.get("calibration")
    if not c:
        return ["(calibration not run)"]
    m = c["metrics"]
    model = c["model"]
    terms = " + ".join(f"{w} × {k}" for k, w in model["coefficients"].items())
    from .abstention import OBJECTIVE

    rows = [[SET_NAMES[s], *[m.get(f"cv_{s}_{k}") for k in ("gold_in_answer", "false_abstain", "abstain_when_absent")]]
            for s in QA_SETS]
    target = "calibration.json" if size == "full" else f"calibration-{size}.json"
    return [f"`{c['command']}`: confidence = logistic({model['intercept']} + {terms}) (`qa/confidence.py`), "
            "fitted on the out-of-fold answers of both sets, each weight kept to the side its signal may push "
            f"(`qa.confidence.DIRECTIONS`). Threshold **{m['threshold']}**: {OBJECTIVE}. Out of fold (model and "
            f"threshold refitted without the fold, fold thresholds {c.get('fold_thresholds')}):", "",
            table(["set", "gold_in_answer", "false_abstain", "abstain_when_absent"], rows), "",
            f"Written to `qa/models/confidence.json` and `bench/results/{target}`.", "", "![calibration](calibration.png)"]


__all__ = ["answers_section", "calibration_section", "modes_section", "scorer_section", "fmt"]
