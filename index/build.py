"""The building orchestrator: read → clean → chunk → embed → store.

``ingest`` is idempotent and incremental: an article whose cleaned text and
metadata hash to what is stored is ``unchanged`` and not re-embedded; a changed
one replaces all its old chunks.  One ingest writes to a store at a time.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable

from .chunk import chunk_article, sentence_texts
from .clean import clean_batch
from .documents import Article, RawDocument, ReadFailure, ReadWarning, shown
from .read import read_paths
from .records import LONE_SURROGATE
from .settings import Settings, qa_home
from .store import Store, StoreError, article_hash, server_errors

log = logging.getLogger(__name__)

EMBED_GROUP = 256  # chunks embedded together across articles: length-sorted together, less padding (12% -> 8% of tokens)
EMBED_SLICE = 512  # passages per embedding call: progress on a long article, little lost to sorting


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
    lock = _acquire_before_creating(settings, lock_timeout) if store is None else None
    try:
        store = store or Store(settings, create=True)
        with server_errors(store.location):
            store.check_model()
            lock = lock or _acquire(settings, lock_timeout)
            return _ingest_locked(paths, settings, delete, store, progress, on_article, started)
    finally:
        if lock is not None:
            lock.release()


@contextlib.contextmanager
def creating(settings: Settings, timeout: float = 0):
    """The ingest lock, held while a store is opened with ``create=True``
    outside ``ingest`` (``QA(create=True)``, what `qa ingest` opens): two
    first ingests from the shell would otherwise both create Chroma's
    tables.  Raises IngestLocked when another ingest holds it."""
    lock = _acquire_before_creating(settings, timeout)
    try:
        yield
    finally:
        if lock is not None:
            lock.release()


def _acquire_before_creating(settings: Settings, timeout: float):
    """The lock, taken before an embedded store is opened: two first ingests
    would otherwise both create Chroma's tables ("table collections already
    exists"), the second one too when it finds the first one's half-made
    folder. None where the folder cannot be made: creating the store then
    says why."""
    if settings.uses_server:
        return None
    try:
        return _acquire(settings, timeout)
    except OSError:
        return None


def _ingest_locked(paths, settings, delete, store, progress, on_article, started) -> dict:
    summary = Counter()
    failed: list[dict] = []
    warnings: list[dict] = []
    show = sys.stderr.isatty() if progress is None else progress
    store.refresh(force=True)  # another process may have written since this one opened the store
    interrupted = store.unfinished()  # a killed ingest's articles are not in BM25 yet
    repaired = store.repair(thorough=interrupted)
    docs = _read(paths, settings, failed, warnings, show)
    articles = _clean(docs, settings, failed, warnings, show)
    for f in failed:  # info, not warning: the summary carries them, and the CLI prints each once
        log.info("failed: %s: %s", f["path"], f["error"])
        _notify(on_article, {"path": f["path"], "status": "failed", "error": f["error"]})
    for w in warnings:
        log.info("warning: %s: %s", w["path"], w["warning"])

    stored = store.committed_hashes()
    pending = []
    for article in _unique(articles, failed, on_article):
        previous = stored.get(article.id)
        if previous == article_hash(article):
            summary["unchanged"] += 1
            _notify(on_article, _event(article, "unchanged", 0))
            continue
        pending.append((article, "updated" if previous else "added"))

    if pending or delete:
        store.begin_writing()
    summary["chunks"] = _embed_and_write(store, settings, pending, summary, show, on_article)
    for article_id in delete:
        if store.delete_article(article_id):
            summary["deleted"] += 1
            _notify(on_article, {"id": article_id, "status": "deleted"})
        else:
            failed.append({"path": shown(article_id), "error": "no article with this id in the store"})
    if pending or delete or repaired or interrupted or not store.revision:
        store.commit()
    result = {key: summary[key] for key in ("added", "updated", "unchanged", "deleted", "chunks")}
    result["failed"] = failed
    result["warnings"] = warnings
    log.info("ingest: %s in %.1fs", {k: v for k, v in result.items() if k not in ("failed", "warnings")}
             | {"failed": len(failed)}, time.perf_counter() - started)
    return result


def _read(paths, settings, failed: list, warnings: list, show: bool) -> list[RawDocument]:
    from tqdm import tqdm

    docs = []
    for item in tqdm(read_paths([Path(p) for p in paths], settings), desc="read", unit=" item", disable=not show):
        if isinstance(item, ReadFailure):
            failed.append(item.to_dict())
        elif isinstance(item, ReadWarning):
            warnings.append(item.to_dict())
        else:
            docs.append(item)
    return docs


def _clean(docs, settings, failed: list, warnings: list, show: bool) -> list[Article]:
    """Cleaned articles; those that cannot be stored are failures."""
    from tqdm import tqdm

    with tqdm(total=len(docs), desc="clean", unit=" article", disable=not show) as bar:
        cleaned = clean_batch(docs, on_done=bar.update)
    articles = []
    for doc, item in zip(docs, cleaned):
        refusal = item.error if isinstance(item, ReadFailure) else _refusal(item, settings)
        if refusal:
            failed.append({"path": doc.origin, "error": refusal})
            continue
        warnings.extend({"path": doc.origin, "warning": w} for w in doc.warnings)
        articles.append(item)
    return articles


def _refusal(article: Article, settings: Settings) -> str | None:
    """Why a cleaned article cannot be stored, if it cannot."""
    if len(article.text) > settings.max_article_chars:
        return (f"article is {len(article.text):,} characters after cleaning, over the limit of "
                f"{settings.max_article_chars:,} (max_article_chars)")
    for key, value in {**article.public_dict(), "origin": article.origin}.items():
        if isinstance(value, str) and LONE_SURROGATE.search(value):
            return f"'{key}' is not valid Unicode (a lone surrogate): not stored"
    return None


def _unique(articles: list[Article], failed: list, on_article) -> list[Article]:
    """One version per article id in a batch: the later one wins, and an
    earlier, different one is reported (an exact copy is just the same article)."""
    by_id: dict[str, Article] = {}
    for article in articles:
        earlier = by_id.get(article.id)
        if earlier is not None and article_hash(earlier) != article_hash(article):
            error = (f"article id {shown(article.id)!r} is given again later in this batch "
                     f"({article.origin}); the later one is stored")
            failed.append({"path": earlier.origin, "error": error})
            _notify(on_article, {"path": earlier.origin, "status": "failed", "error": error})
        by_id[article.id] = article
    return list(by_id.values())


def _embed_and_write(store, settings, pending, summary, show, on_article) -> int:
    from tqdm import tqdm

    written = 0
    bar = tqdm(total=len(pending), unit=" article", desc="store", disable=not show, position=1)
    passages = tqdm(total=0, unit=" passage", desc="embed", disable=not show, position=0)
    group: list[tuple[Article, str, list]] = []

    def flush():
        nonlocal written
        texts = [_passage(a, c) for a, _, chunks in group for c in chunks]
        sentences = {a.id: sentence_texts(a.text) for a, _, _ in group}
        missing = store.missing_sentences(sentences)
        new = [(a, missing[a.id]) for a, _, _ in group]
        vectors = iter(_embed(store, texts + [t for _, ts in new for t in ts], passages))
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
    passages.close()
    bar.close()
    return written


def _embed(store, texts: list[str], bar) -> list:
    """Chunks and sentences embedded together (sorted by length together:
    fewer batches), in slices so that a long article shows its progress."""
    bar.total += len(texts)
    bar.refresh()
    vectors = []
    for start in range(0, len(texts), EMBED_SLICE):
        part = texts[start:start + EMBED_SLICE]
        vectors.extend(store.embedder.embed_passages(part))
        bar.update(len(part))
    return vectors


def _passage(article: Article, chunk) -> str:
    """What is embedded for a chunk: its article's title gives it context."""
    return f"{article.title}\n{chunk.text}" if article.title else chunk.text


def _event(article: Article, status: str, chunks: int) -> dict:
    return {"path": article.origin, "id": article.id, "title": article.title, "status": status, "chunks": chunks}


def _notify(callback, event: dict) -> None:
    if callback is not None:
        callback(event)
