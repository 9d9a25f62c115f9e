"""Fitting the verification thresholds of the generative composer
(``qa/verify.py``): how much of a generated sentence's content its cited
passage must hold (``coverage``) and how close one of the passage's
sentences must be to it (e5 ``cosine``).

Pairs from both QA sets (XQuAD-ar, ARCD-train), every stored question:
the *claim* is the question restated with its gold answer («توفي صلاح الدين
1193»), as a model's answer restates it; it is paired with its true passage
(the 600-character chunk holding the gold answer) and with two wrong ones:
the chunk of the same article most like it without the answer (the
near-miss a model cites by mistake) and the most alike chunk of another
article.  The thresholds maximise Youden's J (true passages kept minus wrong
ones kept) together with the facts rule; 5-fold cross-validation by article
reports how they do on articles they were not fitted on.

    python -m bench --condition verify --size full   # writes qa/models/verify.json
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np

from . import passes
from .data import contains_gold
from .scorer import hash_fold

MODELS_DIR = Path(__file__).resolve().parents[1] / "qa" / "models"
FOLDS = 5
GRID = 101  # candidate thresholds per measure: the measure's quantiles
QUESTION_OPENERS = frozenset("""متى كم بكم اين أين من ما ماذا هل لماذا كيف أي اي ماهو ماهي ما هو هي الذي التي
في إلى الى""".split())


def claim_of(question: str, answer: str) -> str:
    """The question as a statement with its answer: the leading question
    words go, the answer is appended."""
    words = question.replace("؟", " ").replace("?", " ").split()
    while words and (words[0] in QUESTION_OPENERS or words[0].lstrip("وف") in QUESTION_OPENERS):
        words = words[1:]
    return " ".join([*words, answer]).strip()


def pairs_of(qa, questions: list[dict], seed: int = 13) -> list[dict]:
    """(claim, passage, is it the true passage) pairs with their measures."""
    from index import arabic
    from index.chunk import chunk_article
    from qa import verify
    from qa.answer import Passage
    from qa.candidates import candidates
    from qa.llm import inside

    rng = random.Random(seed)
    articles, chunks = {}, {}
    for q in questions:
        if q["article_id"] not in articles:
            article = qa.article(q["article_id"])
            articles[article.id] = article
            chunks[article.id] = [Passage(f"{article.id}:{c.position}", article, c.start, c.end, 1.0)
                                  for c in chunk_article(article.id, article.text, size=600)]
    ids = sorted(articles)
    wanted = []
    for q in questions:
        own = chunks[q["article_id"]]
        gold = next((p for p in own if contains_gold(p.text, q["answers"])), None)
        if gold is None:
            continue
        claim = verify.Claim(claim_of(q["question"], q["answers"][0]), [1])
        terms = arabic.content_terms(claim.text)
        near = [p for p in own if not contains_gold(p.text, q["answers"])]
        other_id = rng.choice([i for i in ids if i != q["article_id"]] or ids)
        far = [p for p in chunks[other_id] if not contains_gold(p.text, q["answers"])]
        choice = [(gold, True)]
        for pool in (near, far):
            if pool:
                best = max(pool, key=lambda p: verify.coverage(terms, frozenset(arabic.content_terms(p.text))))
                choice.append((best, False))
        for passage, label in choice:
            wanted.append((q, claim, passage, label))
    sources = {}
    for _, _, passage, _ in wanted:
        if passage.chunk_id not in sources:
            sources[passage.chunk_id] = verify.Source(passage, inside(passage, candidates([passage])))
    keys = [(verify.ANSWER_KEY, c.text) for _, c, _, _ in wanted]
    keys += [s.key for src in sources.values() for s in src.sentences]
    keys = list(dict.fromkeys(keys))
    vectors = dict(zip(keys, qa.embedder.embed_passages([t for _, t in keys])))
    rows = []
    for q, claim, passage, label in wanted:
        found = verify.measure(claim, vectors.get((verify.ANSWER_KEY, claim.text)), sources[passage.chunk_id], vectors,
                               qa.store.idf)
        if found is None:
            continue
        rows.append({"question": q["id"], "article_id": q["article_id"], "set": q.get("set", "xquad"), "label": label,
                     "pair": "true" if label else ("same-article" if passage.article.id == q["article_id"] else "other"),
                     "coverage": round(found.coverage, 6), "cosine": round(found.cosine, 6) if found.cosine is not None else None,
                     "facts": found.facts})
    return rows


def fit(rows: list[dict], with_vectors: bool = True) -> dict:
    """Thresholds maximising TPR - FPR with the facts rule applied."""
    y = np.array([r["label"] for r in rows])
    facts = np.array([r["facts"] for r in rows])
    cov = np.array([r["coverage"] for r in rows])
    cos = np.array([r["cosine"] if r["cosine"] is not None else 0.0 for r in rows])
    cov_grid = np.unique(np.quantile(cov, np.linspace(0, 1, GRID)))
    cos_grid = np.unique(np.quantile(cos, np.linspace(0, 1, GRID))) if with_vectors else np.array([-np.inf])
    best = (-np.inf, 0.0, 0.0)
    for a in cov_grid:
        kept_cov = facts & (cov >= a)
        for b in cos_grid:
            kept = kept_cov & (cos >= b)
            j = kept[y].mean() - kept[~y].mean()
            if j > best[0] + 1e-12:
                best = (j, float(a), float(b))
    return {"coverage": round(best[1], 4), "cosine": round(best[2], 4) if with_vectors else None,
            "youden": round(best[0], 4)}


def rates(rows: list[dict], fitted: dict, with_vectors: bool = True) -> dict:
    from qa.verify import supported

    model = {"coverage": fitted["coverage"], "cosine": fitted["cosine"],
             "coverage_without_vectors": fitted["coverage"]}
    kept = [supported(r["coverage"], r["cosine"] if with_vectors else None, r["facts"], model) for r in rows]
    out = {}
    for pair in ("true", "same-article", "other"):
        mine = [k for k, r in zip(kept, rows) if r["pair"] == pair]
        out[f"kept_{pair}"] = round(sum(mine) / len(mine), 4) if mine else None
    return out


def cross_validate(rows: list[dict], with_vectors: bool = True) -> dict:
    scored = []
    for f in range(FOLDS):
        train = [r for r in rows if hash_fold(r["article_id"], FOLDS) != f]
        test = [r for r in rows if hash_fold(r["article_id"], FOLDS) == f]
        fitted = fit(train, with_vectors)
        scored += [(r, fitted) for r in test]
    out = {}
    for pair in ("true", "same-article", "other"):
        from qa.verify import supported

        mine = [supported(r["coverage"], r["cosine"] if with_vectors else None, r["facts"],
                          {"coverage": m["coverage"], "cosine": m["cosine"], "coverage_without_vectors": m["coverage"]})
                for r, m in scored if r["pair"] == pair]
        out[f"kept_{pair}"] = round(sum(mine) / len(mine), 4) if mine else None
    return out


def run(main, cond: dict, size: str, state: dict) -> dict:
    from .qa_conditions import open_set

    rows = []
    for qa_set in passes.QA_SETS:
        ds, qa, folder, _ = open_set(main, size, qa_set, state)
        main.log(f"verify: pairs from {len(ds.stored_questions)} {qa_set} questions")
        rows += pairs_of(qa, ds.stored_questions)
        state["embedder"].save()
    with_vectors, without = fit(rows), fit(rows, with_vectors=False)
    shipped = {"coverage": with_vectors["coverage"], "cosine": with_vectors["cosine"],
               "coverage_without_vectors": without["coverage"], "command": main.command(cond, size),
               "fitted_on": "XQuAD-ar + ARCD-train stored questions: claim = question + gold answer; true chunk vs "
                            "the most alike chunk without the answer, same article and another article",
               "pairs": len(rows)}
    report = {"shipped": shipped, "in_sample": rates(rows, with_vectors),
              "in_sample_without_vectors": rates(rows, without, with_vectors=False),
              "out_of_fold": cross_validate(rows), "out_of_fold_without_vectors": cross_validate(rows, False),
              "facts_hold": {p: round(np.mean([r["facts"] for r in rows if r["pair"] == p]), 4)
                             for p in ("true", "same-article", "other")},
              "objective": f"Youden's J (true pairs kept - wrong pairs kept), facts rule applied; {GRID}-quantile grid; "
                           f"{FOLDS}-fold CV by article"}
    if size == "full":
        (MODELS_DIR / "verify.json").write_text(json.dumps(shipped, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    name = "verify.json" if size == "full" else f"verify-{size}.json"
    (main.RESULTS / name).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    metrics = {"coverage": shipped["coverage"], "cosine": shipped["cosine"],
               "coverage_without_vectors": shipped["coverage_without_vectors"], "pairs": len(rows),
               **{f"oof_{k}": v for k, v in report["out_of_fold"].items()}}
    return {"metrics": metrics, "report": report}
