"""Warm latency, measured in the process that answers: retrieval per mode,
and the scale probe (``python -m bench.latency --probe``), which times
hybrid search and LlamaIndex's default top-2 query in turns over one store
in a fresh process, with that process's peak memory.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from .commands import peak_rss_mb
from .speed import percentile


# Rounds of the paired timing in the scale probe: the two sides differ by a
# few % and one round of 50 questions moved the ratio by +-0.04 from run to
# run (three runs of the same code at 50k chunks: 1.05, 0.97, 1.02).
PAIRED_ROUNDS = 4


def latency_summary(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 1), "p95_ms": round(percentile(ms, 95), 1),
            "mean_ms": round(statistics.fmean(ms), 1) if ms else None}


def search_latency(qa, questions: list[str], mode: str, k: int = 10) -> dict:
    """Warm retrieval latency, embedding the question included: an untimed
    pass over all questions first (one query is not enough: Chroma and the OS
    page cache fill over the first few dozen), then each question once."""
    for question in questions:
        qa.search(question, k=k, mode=mode)
    times = []
    for question in questions:
        qa.embedder.forget_queries()
        started = time.perf_counter()
        qa.search(question, k=k, mode=mode)
        times.append(time.perf_counter() - started)
    return latency_summary(times)


def probe(store: Path, llama: Path, model_cache: Path, questions: list[str]) -> dict:
    """Run in a fresh process: warm search latency per mode and the process's
    peak memory with the store open, then hybrid search and the LlamaIndex
    default retriever timed in turns in the same process (its memory is
    measured separately)."""
    from index.settings import Settings
    from qa.api import QA

    settings = Settings.from_env(environ={}, store=store, model_cache=model_cache)
    out = {"chunks": None}
    qa = QA(settings)
    qa.warm_up()
    out["chunks"] = qa.store.count_chunks()
    for mode in ("dense", "bm25"):
        out[mode] = search_latency(qa, questions, mode)
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    out["hybrid"], out["llamaindex"] = paired_latency(qa, llama_query(llama, qa.embedder), questions,
                                                    rounds=PAIRED_ROUNDS)
    return out


def paired_latency(qa, peer, questions: list[str], rounds: int = 1) -> tuple[dict, dict]:
    """Hybrid search and ``peer(question)`` timed in turns, question by
    question (which goes first alternates), ``rounds`` times over the
    questions, after an untimed pass of each over all questions: on this
    shared machine the load drifts within a run, and two blocks timed one
    after the other would measure the drift."""
    for question in questions:
        qa.search(question, k=10, mode="hybrid")
        peer(question)
    ours, theirs = [], []
    # which goes first alternates from question to question and, for each
    # question, from round to round (with an even number of questions a
    # running count would give each question the same order every round)
    turns = [(question, (q + r) % 2) for r in range(rounds) for q, question in enumerate(questions)]
    for question, peer_first in turns:
        pair = [(ours, lambda q: qa.search(q, k=10, mode="hybrid")), (theirs, peer)]
        for times, run in (pair[::-1] if peer_first else pair):
            qa.embedder.forget_queries()  # both embed the question, every time
            started = time.perf_counter()
            run(question)
            times.append(time.perf_counter() - started)
    return latency_summary(ours), latency_summary(theirs)


def llama_query(folder: Path, embedder):
    """A function: question -> LlamaIndex's top-2 retrieval from its
    collection, the query embedded by the same model with its ``query: ``
    prompt (what HuggingFaceEmbedding does)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core.vector_stores.types import VectorStoreQuery
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(anonymized_telemetry=False))
    vs = ChromaVectorStore(chroma_collection=client.get_collection("llamaindex"))

    def one(question: str):
        vector = embedder.embed_query([question])[0]
        return vs.query(VectorStoreQuery(query_embedding=vector.tolist(), similarity_top_k=2))
    return one


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.latency --probe STORE LLAMA MODELS QUESTIONS.json``"""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.latency")
    parser.add_argument("--probe", nargs=4, metavar=("STORE", "LLAMA", "MODELS", "QUESTIONS"), required=True)
    args = parser.parse_args(argv)
    store, llama, models, questions = args.probe
    result = probe(Path(store), Path(llama), Path(models), json.loads(Path(questions).read_text(encoding="utf-8")))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
