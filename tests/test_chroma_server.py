"""Scale-out: the store on a real `chroma run` server on loopback, shared by
app processes that restart, ingest and ask side by side.

Each app process keeps its own BM25 index, rebuilt when the store's revision
moves; these tests prove that an article ingested by one process is found by
a BM25-only search in another, and that a server that goes away is one clear
error line and no more once it is back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from index.build import ingest
from index.settings import Settings
from index.store import Store, StoreError
from qa.api import QA
from tests.conftest import ROOT
from tests.helpers_chroma import chroma_server  # noqa: F401  (the fixture)
from tests.test_reliability import MARKERS, check_store, write_articles

pytestmark = pytest.mark.server
CHILD_TIMEOUT = 240


@pytest.fixture
def server_env(chroma_server, monkeypatch):
    """Point this process (and its children) at the server."""
    monkeypatch.setenv("QA_CHROMA_HOST", chroma_server.host)
    monkeypatch.setenv("QA_CHROMA_PORT", str(chroma_server.port))
    return chroma_server


def open_qa(embedder) -> QA:
    qa = QA(Settings.from_env(), embedder=embedder)
    return qa


def ingest_here(folder, embedder) -> dict:
    settings = Settings.from_env()
    return ingest([folder], settings, store=Store(settings, embedder=embedder, create=True), progress=False)


def qa_process(*args, home=None, check=True) -> subprocess.CompletedProcess:
    """``qa`` in another process: another app replica, with its own QA_HOME
    (its own BM25 cache) when ``home`` is given."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if home is not None:
        env["QA_HOME"] = str(home)
    done = subprocess.run([sys.executable, "-m", "qa", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=CHILD_TIMEOUT)
    if check:
        assert done.returncode == 0, done.stderr[-2000:]
    return done


def bm25_ids(qa: QA, query: str) -> set[str]:
    return {p.article.id for p in qa.search(query, mode="bm25")}


def test_ingest_ask_restart_app_and_server(server_env, tmp_path, embedder):
    folder = write_articles(tmp_path / "in", n=2)
    assert ingest_here(folder, embedder)["added"] == 2
    qa = open_qa(embedder)
    question = "ما تكلفة مشروع الطاقة الشمسية في المغرب؟"
    first = qa.ask(question)
    assert not first.abstained and first.citations[0].article_id == "art-1", first.to_dict()
    assert bm25_ids(qa, MARKERS[0]) == {"art-0"}

    restarted = qa_process("ask", question, "--json", home=tmp_path / "replica")  # a new app process
    assert json.loads(restarted.stdout)["citations"][0]["article_id"] == "art-1"
    listed = json.loads(qa_process("articles", "--json").stdout)
    assert sorted(row["id"] for row in listed) == ["art-0", "art-1"]

    server_env.restart()  # same data, same port
    again = qa.ask(question)
    assert again.to_dict()["citations"] == first.to_dict()["citations"]
    assert bm25_ids(open_qa(embedder), MARKERS[1]) == {"art-1"}
    state = check_store(qa.store)
    assert state["articles"] == {"art-0", "art-1"} and not state["orphans"]


def test_replicas_see_each_others_ingests_in_bm25(server_env, tmp_path, embedder):
    """Replica A is this process; replica B is a `qa` process with its own
    QA_HOME, as on another machine. Neither answers from a stale BM25 index."""
    all_articles = write_articles(tmp_path / "all", n=3)
    first, second, third = (tmp_path / name for name in ("one", "two", "three"))
    for folder, i in ((first, 0), (second, 1), (third, 2)):
        folder.mkdir()
        (all_articles / f"a{i}.jsonl").rename(folder / f"a{i}.jsonl")
    replica_b = tmp_path / "replica-b"

    assert ingest_here(first, embedder)["added"] == 1
    a = open_qa(embedder)
    assert bm25_ids(a, MARKERS[0]) == {"art-0"}  # A's BM25 index is now built and cached
    assert not bm25_ids(a, MARKERS[1])

    by_b = json.loads(qa_process("ingest", second, "--json", home=replica_b).stdout)
    assert by_b["added"] == 1
    assert bm25_ids(a, MARKERS[1]) == {"art-1"}, "A's BM25 index went stale after B's ingest"
    assert {p.article.id for p in a.search(MARKERS[1], mode="dense")} >= {"art-1"}

    summary = a.ingest([third])  # A writes; B's BM25 cache on disk is now a revision behind
    assert summary["added"] == 1
    asked = qa_process("ask", MARKERS[2], "--mode", "bm25", "--json", home=replica_b)
    assert {c["article_id"] for c in json.loads(asked.stdout)["citations"]} == {"art-2"}, asked.stdout
    state = check_store(a.store)
    assert state["articles"] == {"art-0", "art-1", "art-2"} and not state["orphans"]


def test_server_gone_mid_session_is_one_line_and_recovers(server_env, tmp_path, embedder):
    folder = write_articles(tmp_path / "in", n=1)
    ingest_here(folder, embedder)
    qa = open_qa(embedder)
    question = "ما تكلفة مشروع الزراعة في وادي النيل؟"
    before = qa.ask(question).to_dict()
    location = f"http://{server_env.host}:{server_env.port}"

    server_env.stop(kill=True)
    for call in (lambda: qa.ask(question), lambda: qa.search(MARKERS[0], mode="bm25"), qa.articles,
                 lambda: qa.article("art-0"), lambda: qa.ingest([folder])):
        with pytest.raises(StoreError) as error:
            call()
        message = str(error.value)
        assert "\n" not in message and f"lost the Chroma server at {location}" in message, message
    down = qa_process("ask", question, check=False)
    assert down.returncode == 1 and "Traceback" not in down.stderr
    lines = down.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot reach the Chroma server at {location}" in lines[0], down.stderr

    server_env.start()
    assert qa.ask(question).to_dict() == before  # the same QA object, no reopening
    assert qa.ingest([folder])["unchanged"] == 1
