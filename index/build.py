"""The building orchestrator: read → clean → chunk → embed → store.

``ingest`` is idempotent and incremental: an article whose cleaned text and
metadata hash to what is stored is ``unchanged`` and not re-embedded; a changed
one replaces all its old chunks.  One ingest writes to a store at a time.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable

from .chunk import chunk_article, sentence_texts
from .clean import clean_batch
from .documents import Article, ReadFailure
from .read import read_paths
from .settings import Settings, qa_home
from .store import Store, StoreError, article_hash, server_errors

log = logging.getLogger(__name__)

EMBED_GROUP = 64  # chunks embedded together across articles


class IngestLocked(StoreError):
    pass


def _lock_path(settings: Settings) -> Path:
    if settings.uses_server:
        name = f"{settings.chroma_host}_{settings.chroma_port}_{settings.collection}.lock"
        return qa_home() / "locks" / name
    return Path(settings.store) / "ingest.lock"


def _acquire(settings: Settings, timeout: float):
    from filelock import FileLock, Timeout

    path = _lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise IngestLocked(f"another ingest is writing to {settings.store if not settings.uses_server else path.stem}; "
                           f"try again when it has finished (lock: {path})") from None
    return lock


def ingest(paths: list[str | Path], settings: Settings, delete: list[str] = (), store: Store | None = None,
           progress: bool | None = None, on_article: Callable[[dict], None] | None = None,
           lock_timeout: float = 0) -> dict:
    """Ingest ``paths`` (files, folders, zips) into the store and delete the
    article ids in ``delete``. Returns the summary dict the CLI prints."""
    started = time.perf_counter()
    store = store or Store(settings, create=True)
    with server_errors(store.location):
        store.check_model()
        lock = _acquire(settings, lock_timeout)
        try:
            return _ingest_locked(paths, settings, delete, store, progress, on_article, started)
        finally:
            lock.release()


def _ingest_locked(paths, settings, delete, store, progress, on_article, started) -> dict:
    summary = Counter()
    failed: list[dict] = []
    interrupted = store.unfinished()  # a killed ingest's articles are not in BM25 yet
    repaired = store.repair(thorough=interrupted)
    docs = []
    for item in read_paths([Path(p) for p in paths], settings):
        if isinstance(item, ReadFailure):
            failed.append(item.to_dict())
        else:
            docs.append(item)
    articles = []
    for item in clean_batch(docs):
        if isinstance(item, ReadFailure):
            failed.append(item.to_dict())
        else:
            articles.append(item)
    for f in failed:
        log.warning("failed: %s: %s", f["path"], f["error"])
        _notify(on_article, {"path": f["path"], "status": "failed", "error": f["error"]})

    stored = store.committed_hashes()
    pending = []
    for article in _unique(articles):
        previous = stored.get(article.id)
        if previous == article_hash(article):
            summary["unchanged"] += 1
            _notify(on_article, _event(article, "unchanged", 0))
            continue
        pending.append((article, "updated" if previous else "added"))

    show = sys.stderr.isatty() if progress is None else progress
    if pending or delete:
        store.begin_writing()
    summary["chunks"] = _embed_and_write(store, settings, pending, summary, show, on_article)
    for article_id in delete:
        if store.delete_article(article_id):
            summary["deleted"] += 1
            _notify(on_article, {"id": article_id, "status": "deleted"})
        else:
            failed.append({"path": article_id, "error": "no article with this id in the store"})
    if pending or delete or repaired or interrupted or not store.revision:
        store.commit()
    result = {key: summary[key] for key in ("added", "updated", "unchanged", "deleted", "chunks")}
    result["failed"] = failed
    log.info("ingest: %s in %.1fs", {k: v for k, v in result.items() if k != "failed"} | {"failed": len(failed)},
             time.perf_counter() - started)
    return result


def _unique(articles: list[Article]) -> list[Article]:
    """One version per article id in a batch: the later one wins."""
    by_id: dict[str, Article] = {}
    for article in articles:
        if article.id in by_id:
            log.info("%s and %s have the same article id %s; keeping the later", by_id[article.id].origin,
                     article.origin, article.id)
        by_id[article.id] = article
    return list(by_id.values())


def _embed_and_write(store, settings, pending, summary, show, on_article) -> int:
    from tqdm import tqdm

    written = 0
    bar = tqdm(total=len(pending), unit="article", desc="ingest", disable=not show)
    group: list[tuple[Article, str, list]] = []

    def flush():
        nonlocal written
        texts = [_passage(a, c) for a, _, chunks in group for c in chunks]
        sentences = {a.id: sentence_texts(a.text) for a, _, _ in group}
        missing = store.missing_sentences(sentences)
        new = [(a, missing[a.id]) for a, _, _ in group]
        # chunks and sentences in one call: sorted by length together, fewer batches
        vectors = iter(store.embedder.embed_passages(texts + [t for _, ts in new for t in ts]))
        batch = [(article, chunks, [next(vectors) for _ in chunks]) for article, _, chunks in group]
        store.write_sentences([(a, ts, [next(vectors) for _ in ts]) for a, ts in new])
        store.write_articles(batch)
        store.drop_old_sentences(sentences)
        for article, status, chunks in group:
            summary[status] += 1
            written += len(chunks)
            _notify(on_article, _event(article, status, len(chunks)))
            bar.update(1)
        group.clear()

    for article, status in pending:
        chunks = chunk_article(article.id, article.text, settings.chunk_size, settings.chunk_overlap)
        group.append((article, status, chunks))
        if sum(len(c) for _, _, c in group) >= EMBED_GROUP:
            flush()
    if group:
        flush()
    bar.close()
    return written


def _passage(article: Article, chunk) -> str:
    """What is embedded for a chunk: its article's title gives it context."""
    return f"{article.title}\n{chunk.text}" if article.title else chunk.text


def _event(article: Article, status: str, chunks: int) -> dict:
    return {"path": article.origin, "id": article.id, "title": article.title, "status": status, "chunks": chunks}


def _notify(callback, event: dict) -> None:
    if callback is not None:
        callback(event)
