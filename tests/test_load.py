"""The load test against a real `qa serve` process (slow: a 30 s warm-up,
then two runs of QA_LOAD_SECONDS, 60 by default; run with ``-m slow``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from index.build import ingest
from index.settings import Settings
from index.store import Store
from tests import load_test
from tests.conftest import ROOT
from tests.helpers_chroma import free_port
from tests.test_reliability import write_articles

pytestmark = pytest.mark.slow
SECONDS = float(os.environ.get("QA_LOAD_SECONDS", "60"))
CLIENTS = int(os.environ.get("QA_LOAD_CLIENTS", "20"))
TOKEN = "load-test-admin-token"


@pytest.fixture
def server(store_copy, embedder, tmp_path):
    folder = write_articles(tmp_path / "articles")
    settings = Settings.from_env(store=store_copy)
    ingest([folder], settings, store=Store(settings, embedder=embedder), progress=False)
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "qa", "serve", "--store", str(store_copy), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "QA_ADMIN_TOKEN": TOKEN})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while True:
        assert process.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
        assert time.monotonic() < deadline, "the app did not start"
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    yield url, process.pid
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()
    assert TOKEN not in (tmp_path / "server.log").read_text()


def test_load_then_load_while_ingesting(server, tmp_path):
    url, pid = server
    results = {}
    results["ask"] = load_test.run(url, clients=CLIENTS, seconds=SECONDS, pid=pid)
    print("\n" + load_test.table(results["ask"]))
    new = tmp_path / "new.txt"
    new.write_text("مشروع جديد في صفاقس\n\n" + " ".join(
        f"وقعت بلدية صفاقس عقداً لتوسيع ميناء الصيد رقم {i} بتمويل أوروبي يبلغ {i + 10} مليون يورو." for i in range(6)),
        encoding="utf-8")
    results["ask+ingest"] = load_test.run(url, clients=CLIENTS, seconds=SECONDS, pid=pid, ingest=[new], token=TOKEN,
                                          warmup=0)  # warm already
    print("\n" + load_test.table(results["ask+ingest"]))
    (tmp_path / "load.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    for name, result in results.items():
        assert result["failed"] == 0, (name, result["errors"])
        assert result["ok"] > 0 and result["memory"]["samples"] > 0
        assert result["memory"]["stable"], (name, result["memory"]["second_half_slope_mb_per_min"])
    assert results["ask+ingest"]["ingest"]["status"] == 200
    assert results["ask+ingest"]["ingest"]["summary"]["added"] == 1
    found = httpx.post(f"{url}/api/ask", json={"question": "ما قيمة تمويل توسيع ميناء الصيد في صفاقس؟"},
                       timeout=300).json()
    assert any("صفاقس" in c["quote"] for c in found["citations"]), found
