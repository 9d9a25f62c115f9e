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
    from . import speed_conditions

    return speed_conditions.run_peer(sys.modules[__name__], cond, size, state)


def run_speed(cond: dict, size: str, state: dict) -> dict:
    from . import speed_conditions

    return speed_conditions.run_speed(sys.modules[__name__], cond, size, state)


def run_scale(cond: dict, size: str, state: dict) -> dict:
    from . import speed_conditions

    return speed_conditions.run_scale(sys.modules[__name__], cond, size, state)


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


def partial_generative(key: str | None = None) -> None:
    """Save and print the figures of an unfinished generative run from its
    run files (``python -c 'import bench.__main__ as m; m.partial_generative()'``;
    ``key``: the run's code hash, default the newest run's)."""
    from . import generative

    cond = next(c for c in load_conditions() if c["name"] == "generative")
    result = generative.partial(sys.modules[__name__], cond, key)
    result.update({"condition": "generative", "kind": "generative", "command": command(cond, "full"),
                   "size": "full", "finished": time.strftime("%Y-%m-%d %H:%M:%S"), "checks": []})
    out = RESULTS / "full" / "generative.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    json.dump(result["metrics"], sys.stdout, indent=1)
    print("\n" + generative.table(result))


KINDS = {"newsqa": run_newsqa, "verify": run_verify, "generative": run_generative, "scorer": run_scorer,
         "quality": run_quality, "calibration": run_calibration, "peer": run_peer, "speed": run_speed,
         "scale": run_scale, "cleaning": run_cleaning}


def command(cond: dict, size: str) -> str:
    return cond["command"].format(size=cond.get("size", size))


def run_condition(cond: dict, size: str, state: dict) -> dict:
    started = time.perf_counter()
    log(f"== {cond['name']} ({cond.get('size', size)}): {command(cond, size)}")
    dtype = precision()  # before the run: a bad QA_PRECISION stops it at once
    result = KINDS[cond["kind"]](cond, size, state)
    from .checks import check
    from .speed import code_state

    result.update({"condition": cond["name"], "kind": cond["kind"], "command": command(cond, size), "code": code_state(),
                   "size": cond.get("size", size), "precision": dtype,
                   "run_seconds": round(time.perf_counter() - started, 1),
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
