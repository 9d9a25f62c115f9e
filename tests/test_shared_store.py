"""One embedded store, two processes: a running `qa serve` and a `qa ingest`
(or `qa ingest --delete`) from the shell, as the README's workflow has it.

Chroma keeps the vector index in memory per process; the server must see
the other process's writes (it reopens the store when its revision or
writing flag moves), never answer with deleted chunks, write over the other
process's index, or report ok while its store is broken.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time

import httpx
import pytest

from index.build import ingest
from index.settings import Settings
from qa.api import QA
from tests.conftest import ROOT
from tests.helpers_chroma import free_port
from tests.test_reliability import loaded  # noqa: F401  (the fixture)
from tests.test_reliability import (CHILD_TIMEOUT, MARKERS, TOPICS, check_store, child_env, fresh_store, qa_child,
                                    write_articles)

TOKEN = "shared-store-admin-token"
NILE = "ما تكلفة مشروع الزراعة في وادي النيل؟"  # answered by art-0


def run_qa(*args) -> dict:
    """`qa ... --json` in another process; its JSON output."""
    done = subprocess.run(qa_child(*args, "--json"), capture_output=True, text=True, env=child_env(), cwd=ROOT,
                          timeout=CHILD_TIMEOUT)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture
def served_store(tmp_path, loaded):
    """A store of three articles and a real `qa serve` process on it."""
    store = tmp_path / "store"
    settings = Settings.from_env(store=store)
    ingest([write_articles(tmp_path / "articles", n=3)], settings,
           store=fresh_store(settings, loaded, create=True), progress=False)
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    process = subprocess.Popen(qa_child("serve", "--store", store, "--port", port), stdout=log,
                               stderr=subprocess.STDOUT, cwd=ROOT, env=child_env(QA_ADMIN_TOKEN=TOKEN))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + CHILD_TIMEOUT
    while True:
        assert process.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
        assert time.monotonic() < deadline, "the app did not start"
        try:
            if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    try:
        yield url, store
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def ask(url: str, question: str, **extra) -> dict:
    response = httpx.post(f"{url}/api/ask", json={"question": question, **extra}, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def cited(answer: dict) -> set[str]:
    return {c["article_id"] for c in answer["citations"]}


def seen_late() -> None:
    """Wait out the server's QA_REVISION_CHECK_S (the default): another
    process's write is seen at most that late.  A `qa ingest` from the shell
    once took longer than that on its own (it loaded the torch model)."""
    time.sleep(Settings.from_env(environ={}).revision_check_s + 0.2)


def test_server_sees_another_process_delete_and_ingest(served_store, tmp_path, loaded):
    url, store = served_store
    assert "art-0" in cited(ask(url, NILE))

    assert run_qa("ingest", "--delete", "art-0", "--store", store)["deleted"] == 1
    seen_late()
    for question in (NILE, MARKERS[0]):  # its chunks neither crash the server nor come back
        assert "art-0" not in cited(ask(url, question))
    health = httpx.get(f"{url}/api/health", timeout=30)
    assert health.status_code == 200 and health.json() == {"status": "ok", "articles": 2}, health.text

    later = tmp_path / "later"  # two new articles and a changed one, from the shell again
    write_articles(later, version=2, n=5)
    (later / "a0.jsonl").unlink()
    summary = run_qa("ingest", later, "--store", store)
    assert (summary["added"], summary["updated"], summary["failed"]) == (2, 2, []), summary
    seen_late()
    water = ask(url, f"ما اسم مشروع {TOPICS[3]}؟")
    assert "art-3" in cited(water), water
    found = httpx.get(f"{url}/api/health", timeout=30).json()
    assert found == {"status": "ok", "articles": 4}, found

    upload = httpx.post(f"{url}/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120,
                        files=[("files", ("a0.jsonl", (tmp_path / "articles" / "a0.jsonl").read_bytes()))])
    assert upload.status_code == 200 and upload.json()["added"] == 1, upload.text  # the server writes after them
    assert "art-0" in cited(ask(url, NILE))
    listed = run_qa("articles", "--store", store)
    assert sorted(row["id"] for row in listed) == [f"art-{i}" for i in range(5)]
    state = check_store(fresh_store(Settings.from_env(store=store), loaded))
    assert state["articles"] == {f"art-{i}" for i in range(5)} and not state["orphans"]


def test_health_reports_a_store_whose_index_went_stale(store_copy, tmp_path, loaded):
    """Without reopening, another process's delete leaves this process's
    vector index listing chunks that are gone: health must say so."""
    settings = Settings.from_env(store=store_copy)
    ingest([write_articles(tmp_path / "in", n=2)], settings, store=fresh_store(settings, loaded), progress=False)
    qa = QA(settings)
    qa.store._embedder = loaded
    assert qa.health() == {"status": "ok", "articles": 3}
    qa.store.refresh = lambda force=False: False  # what the store did before it reopened on other processes' writes
    for article in ("art-0", "art-1"):
        run_qa("ingest", "--delete", article, "--store", store_copy)
    report = qa.health()
    assert report["status"] == "error" and "lists chunks the store does not have" in report["error"], report
    assert "\n" not in report["error"]


def test_api_in_this_process_follows_a_shell_ingest(store_copy, tmp_path, loaded):
    """The same through the Python API: a QA opened before a `qa ingest` in
    another process answers from what that ingest wrote."""
    qa = QA(Settings.from_env(store=store_copy))
    qa.store._embedder = loaded
    before = qa.articles()
    run_qa("ingest", write_articles(tmp_path / "in", n=2), "--store", store_copy)
    assert {p.article.id for p in qa.search(MARKERS[1], mode="bm25")} == {"art-1"}
    assert "art-1" in {p.article.id for p in qa.search(f"مشروع {TOPICS[1]}", mode="dense")}
    assert len(qa.articles()) == len(before) + 2


class _Clock:
    """time.monotonic for index.store_health, moved by hand."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def _count_looks(store) -> list:
    looks = []
    read = store._fresh_metadata
    store._fresh_metadata = lambda: looks.append(1) or read()
    return looks


def test_revision_look_is_trusted_for_its_ttl_then_another_process_write_is_seen(store_copy, tmp_path, loaded,
                                                                                   monkeypatch):
    """QA_REVISION_CHECK_S: questions within it ask Chroma nothing about the
    store's revision (a round trip each, an HTTP request with a server); once
    it has passed, the next question sees another process's delete."""
    from index import store_health

    clock = _Clock()
    monkeypatch.setattr(store_health, "time", clock)
    settings = Settings.from_env(store=store_copy, revision_check_s=5.0)
    ingest([write_articles(tmp_path / "in", n=2)], settings, store=fresh_store(settings, loaded), progress=False)
    qa = QA(settings)
    qa.store._embedder = loaded
    assert {p.article.id for p in qa.search(MARKERS[0], mode="bm25")} == {"art-0"}
    looks = _count_looks(qa.store)

    assert run_qa("ingest", "--delete", "art-0", "--store", store_copy)["deleted"] == 1
    clock.now += 4.9  # within the TTL: this process has not looked again
    for mode in ("hybrid", "dense", "bm25"):
        qa.search(MARKERS[0], mode=mode)
    assert looks == []

    clock.now += 0.1  # the TTL has passed: one look, the delete is seen
    assert "art-0" not in {p.article.id for p in qa.search(MARKERS[0], mode="hybrid")}
    assert "art-0" not in {p.article.id for p in qa.search(f"مشروع {TOPICS[0]}", mode="dense")}
    assert len(looks) == 1


def test_a_zero_revision_ttl_looks_on_every_question(store_copy, loaded):
    qa = QA(Settings.from_env(store=store_copy, revision_check_s=0))
    qa.store._embedder = loaded
    qa.search("الزراعة")
    looks = _count_looks(qa.store)
    for _ in range(3):
        qa.search("الزراعة", mode="bm25")
    assert len(looks) == 3
