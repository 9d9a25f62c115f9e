"""Load test for a running app: concurrent clients asking through POST /api/ask.

    python tests/load_test.py --url http://127.0.0.1:7860 --clients 20 --seconds 60 --out load.json
    python tests/load_test.py --url ... --ingest new.txt --token $QA_ADMIN_TOKEN   # with an ingest mid-run

After ``--warmup`` seconds of the same load (not measured), reports failed
requests, latency percentiles, throughput, and the server's
resident memory sampled every second (found by the port it listens on, or
``--pid``), with its trend over the second half of the run. Prints a table;
``--out`` writes the same figures as JSON. Exit status 1 when a request
failed or memory grew steadily.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

QUESTIONS = [
    "ماذا ناقش الأسد وبوتين؟",
    "متى ستجرى الانتخابات الرئاسية في سوريا؟",
    "ما الذي جاء في بيان الكرملين؟",
    "ما تكلفة مشروع الطاقة الشمسية في المغرب؟",
    "من أعلن عن مشروع الزراعة في وادي النيل؟",
    "ما اسم مشروع المياه في الأردن؟",
    "What did Putin and Assad discuss?",
    "هل ناقش الرئيسان الأوضاع الاقتصادية؟",
]
# Memory counts as stable when the second half of the run grows less than
# this, in MB per minute (a leak of a few KB per request over thousands of
# requests shows up well above it).
MAX_GROWTH_MB_PER_MIN = 20.0


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(round(q / 100 * len(sorted_values) + 0.4999)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def slope_per_minute(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) samples, in MB per minute."""
    if len(samples) < 3:
        return 0.0
    xs, ys = zip(*samples)
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return 0.0 if var == 0 else 60 * sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var


def server_pid(url: str) -> int | None:
    """The process listening on the url's port (loopback), if it can be seen."""
    import psutil

    port = urlparse(url).port
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                return conn.pid
    except psutil.AccessDenied:
        return None
    return None


class Memory(threading.Thread):
    def __init__(self, pid: int | None, interval: float = 1.0):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self):
        if self.pid is None:
            return
        import psutil

        process, start = psutil.Process(self.pid), time.monotonic()
        while not self.stop.is_set():
            try:
                self.samples.append((time.monotonic() - start, process.memory_info().rss / 2**20))
            except psutil.Error:
                return
            self.stop.wait(self.interval)

    def summary(self) -> dict:
        if not self.samples:
            return {"pid": self.pid, "samples": 0}
        mb = [m for _, m in self.samples]
        second_half = self.samples[len(self.samples) // 2:]
        slope = slope_per_minute(second_half)
        return {"pid": self.pid, "samples": len(mb), "start_mb": round(mb[0], 1), "end_mb": round(mb[-1], 1),
                "min_mb": round(min(mb), 1), "max_mb": round(max(mb), 1),
                "second_half_slope_mb_per_min": round(slope, 2), "stable": slope < MAX_GROWTH_MB_PER_MIN,
                "series": [(round(t, 1), round(m, 1)) for t, m in self.samples]}


def client(url: str, questions: list[str], offset: int, deadline: float, timeout: float, out: list, lock):
    import httpx

    records = []
    with httpx.Client(timeout=timeout) as http:
        n = offset
        while time.monotonic() < deadline:
            # a distinct text each time: no request is served from the question-vector cache
            question = f"{questions[n % len(questions)]} ({n})"
            n += 1
            started = time.monotonic()
            try:
                response = http.post(f"{url}/api/ask", json={"question": question})
                ok = response.status_code == 200 and "answer" in response.json()
                error = None if ok else f"HTTP {response.status_code}: {response.text[:200]}"
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                ok, error = False, f"{type(exc).__name__}: {exc}"
            records.append((started, time.monotonic() - started, ok, error))
    with lock:
        out.extend(records)


def ingest_during(url: str, files: list[Path], token: str, delay: float, result: dict):
    import httpx

    time.sleep(delay)
    started = time.monotonic()
    try:
        response = httpx.post(f"{url}/api/ingest", headers={"Authorization": f"Bearer {token}"}, timeout=600,
                              files=[("files", (f.name, f.read_bytes(), "application/octet-stream")) for f in files])
        result.update(status=response.status_code, summary=response.json())
    except Exception as exc:  # noqa: BLE001
        result.update(status=None, error=f"{type(exc).__name__}: {exc}")
    result["seconds"] = round(time.monotonic() - started, 2)


def warm_up(url: str, clients: int, seconds: float, questions: list[str], timeout: float) -> int:
    """The same load, not measured: the server's memory climbs to its working
    size (per-thread buffers, allocator arenas) in the first tens of seconds."""
    records, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(url, questions, i, deadline, timeout, records, lock))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(records)


def run(url: str, clients: int = 20, seconds: float = 60, pid: int | None = None, questions=None,
        ingest: list[Path] = (), token: str = "", timeout: float = 300, warmup: float = 30) -> dict:
    """Run the load (after ``warmup`` seconds of it unmeasured) and return the
    results dict (what ``--out`` writes)."""
    url = url.rstrip("/")
    questions = list(questions or QUESTIONS)
    pid = pid or server_pid(url)
    warmed = warm_up(url, clients, warmup, questions, timeout) if warmup > 0 else 0
    memory = Memory(pid)
    memory.start()
    records, lock = [], threading.Lock()
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=client, args=(url, questions, i, deadline, timeout, records, lock))
               for i in range(clients)]
    ingest_result: dict = {}
    if ingest:
        threads.append(threading.Thread(target=ingest_during,
                                        args=(url, [Path(f) for f in ingest], token, seconds / 3, ingest_result)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    memory.stop.set()
    memory.join(timeout=5)
    latencies = sorted(1000 * lat for _, lat, ok, _ in records if ok)
    errors = [err for *_, ok, err in records if not ok]
    result = {
        "url": url, "clients": clients, "warmup_seconds": warmup, "warmup_requests": warmed,
        "seconds": round(elapsed, 1), "requests": len(records),
        "ok": len(latencies), "failed": len(errors), "errors": sorted(set(errors))[:10],
        "throughput_rps": round(len(latencies) / elapsed, 2),
        "latency_ms": {"p50": round(percentile(latencies, 50), 1), "p95": round(percentile(latencies, 95), 1),
                       "p99": round(percentile(latencies, 99), 1),
                       "max": round(latencies[-1], 1) if latencies else None,
                       "mean": round(statistics.fmean(latencies), 1) if latencies else None},
        "memory": memory.summary(),
    }
    if ingest:
        result["ingest"] = ingest_result
    result["passed"] = (result["failed"] == 0 and result["ok"] > 0 and result["memory"].get("stable", True)
                        and (not ingest or ingest_result.get("status") == 200))
    return result


def table(result: dict) -> str:
    lat, mem = result["latency_ms"], result["memory"]
    rows = [
        ("clients", result["clients"]),
        ("warm-up (not measured)", f"{result['warmup_seconds']:g} s, {result['warmup_requests']} requests"),
        ("seconds measured", result["seconds"]),
        ("requests (ok / failed)", f"{result['ok']} / {result['failed']}"),
        ("throughput", f"{result['throughput_rps']} req/s"),
        ("latency p50 / p95 / p99", f"{lat['p50']} / {lat['p95']} / {lat['p99']} ms"),
        ("latency max / mean", f"{lat['max']} / {lat['mean']} ms"),
    ]
    if mem.get("samples"):
        rows += [("server RSS start / end / max", f"{mem['start_mb']} / {mem['end_mb']} / {mem['max_mb']} MB"),
                 ("RSS trend (2nd half)", f"{mem['second_half_slope_mb_per_min']} MB/min "
                                          f"({'stable' if mem['stable'] else 'GROWING'})")]
    else:
        rows.append(("server RSS", "not sampled (no --pid, port owner not visible)"))
    if "ingest" in result:
        ing = result["ingest"]
        summary = ing.get("summary") or {}
        rows.append(("ingest during load", f"HTTP {ing.get('status')} in {ing.get('seconds')} s: "
                                           f"added {summary.get('added')}, chunks {summary.get('chunks')}"
                     if ing.get("status") else ing.get("error")))
    rows.append(("result", "PASS" if result["passed"] else "FAIL"))
    width = max(len(k) for k, _ in rows)
    lines = [f"{'measure':<{width}}  value", f"{'-' * width}  {'-' * 30}"]
    lines += [f"{k:<{width}}  {v}" for k, v in rows]
    lines += [f"error: {e}" for e in result["errors"]]
    return "\n".join(lines)


def main(argv=None) -> int:
    import os

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the app, e.g. http://127.0.0.1:7860")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pid", type=int, help="server process to sample (default: the one on the url's port)")
    parser.add_argument("--questions", type=Path, help="a JSONL file of {\"question\"} lines, or one per line")
    parser.add_argument("--ingest", type=Path, action="append", default=[],
                        help="upload this file to /api/ingest a third of the way in (repeatable)")
    parser.add_argument("--token", default=os.environ.get("QA_ADMIN_TOKEN", ""),
                        help="admin token for --ingest (default: $QA_ADMIN_TOKEN)")
    parser.add_argument("--warmup", type=float, default=30, help="seconds of unmeasured load first (default 30)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before one request counts as failed")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    questions = None
    if args.questions:
        lines = [x for x in args.questions.read_text(encoding="utf-8").splitlines() if x.strip()]
        questions = [json.loads(x)["question"] if x.lstrip().startswith("{") else x for x in lines]
    result = run(args.url, args.clients, args.seconds, args.pid, questions, args.ingest, args.token, args.timeout,
                 args.warmup)
    print(table(result))
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
