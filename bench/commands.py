"""Commands and processes measured from outside: a command's wall time and
its own peak memory, read from /proc while it runs, and what a cold `qa`
command imports (``python -X importtime``)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# -- memory ------------------------------------------------------------------------------------
def peak_rss_mb(pid: int | str = "self") -> float | None:
    """Peak resident memory of a process, from Linux's ``VmHWM``: the high
    water of its own address space.  Not ``ru_maxrss``: a child started by
    ``subprocess`` inherits its parent's high water at exec, so a probe run
    from a benchmark that had loaded torch reported the benchmark's 1.4-2.3 GB
    instead of its own ~0.2 GB.  None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    if pid == "self":  # not Linux: the best there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return None


def run_watched(argv: list[str], env: dict | None = None, poll_s: float = 0.005) -> tuple[float, int, float]:
    """Run a command; (wall seconds, exit status, its own peak RSS in MB,
    read from /proc while it runs: the last reading before it exits)."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    peak = 0.0
    while True:
        peak = max(peak, peak_rss_mb(child.pid) or 0.0)
        try:
            child.wait(timeout=poll_s)  # returns as soon as it exits: the wall time stays exact
            return time.perf_counter() - started, child.returncode, peak
        except subprocess.TimeoutExpired:
            continue


# -- the command line, cold -------------------------------------------------------------------
def _qa_command() -> list[str]:
    exe = Path(sys.executable).with_name("qa")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "qa"]


def time_command(argv: list[str], env: dict | None = None, repeat: int = 3) -> dict:
    """Wall seconds (best and median of ``repeat``) and the command's own peak RSS."""
    times, rc, peak = [], 0, 0.0
    for _ in range(repeat):
        seconds, code, rss = run_watched(argv, {**os.environ, **(env or {})})
        times.append(seconds)
        rc, peak = rc or code, max(peak, rss)
    return {"best_s": round(min(times), 3), "median_s": round(statistics.median(times), 3), "rc": rc,
            "peak_rss_mb": round(peak, 1)}


HEAVY_IMPORTS = ("torch", "transformers", "sentence_transformers", "llama_index", "onnxruntime", "gradio")


def import_times(argv: list[str], env: dict | None = None, top: int = 8) -> dict:
    """``python -X importtime`` of a command: its slowest top-level imports
    (cumulative ms), their sum, and which heavy packages it imported at all."""
    done = subprocess.run([sys.executable, "-X", "importtime", *argv], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=ROOT)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        rows.append((name.strip(), int(parts[1]) / 1000, len(name) - len(name.lstrip())))
    outer = min((depth for *_, depth in rows), default=1)
    top_level = sorted(((n, ms) for n, ms, depth in rows if depth == outer), key=lambda r: -r[1])
    loaded = {n.split(".")[0] for n, *_ in rows}
    return {"top_level_ms": round(sum(ms for _, ms in top_level), 1),
            "slowest": [[n, round(ms, 1)] for n, ms in top_level[:top]],
            "heavy_imported": [h for h in HEAVY_IMPORTS if h in loaded], "rc": done.returncode}


def cli_times(store: Path, model_cache: Path, question: str) -> dict:
    env = {"QA_MODEL_CACHE": str(model_cache)}
    qa = _qa_command()
    ask = ["ask", question, "--store", str(store), "--json"]
    return {"help": time_command(qa + ["--help"], env),
            "ask_cold": time_command(qa + ask, env),
            "ask_cold_torch": time_command(qa + ask, {**env, "QA_QUERY_ENGINE": "torch"}),  # the old path, same run
            "ask_importtime": import_times(["-m", "qa", *ask], env)}


