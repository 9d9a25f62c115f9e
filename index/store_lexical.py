"""The BM25 index kept in step with the store: loaded (or rebuilt) for the
store's current revision, rebuilt at every commit."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from .lexical import ChunkRef, LexicalIndex
from .settings import qa_home

log = logging.getLogger(__name__)


class LexicalKeeper:
    def __init__(self, store):
        self.store = store
        self.index: LexicalIndex | None = None
        # After an ingest every asking thread sees the new revision at once:
        # one loads or rebuilds the BM25 index, the others wait for it.
        self.lock = threading.Lock()

    def current(self, revision: str) -> LexicalIndex:
        """The index for ``revision``: in memory, saved, or built now."""
        index = self.index
        if index is not None and index.revision == revision:
            return index
        with self.lock:
            if self.index is not None and self.index.revision == revision:
                return self.index  # built by the thread we waited for
            loaded = LexicalIndex.load(self.folder(), revision)
            self.index = loaded if loaded is not None else self.build(revision)
            return self.index

    def folder(self) -> Path:
        s = self.store.settings
        if s.uses_server:
            return qa_home() / "bm25-cache" / f"{s.chroma_host}_{s.chroma_port}_{s.collection}"
        return Path(s.store) / "bm25"

    def build(self, revision: str) -> LexicalIndex:
        """Index every chunk of a committed article version (call holding ``lock``)."""
        store = self.store
        committed = store.committed_hashes()
        refs, texts = [], []
        for ids, metas, docs in store._pages(store.chunks, include=["metadatas", "documents"]):
            for cid, meta, doc in zip(ids, metas, docs):
                if committed.get(meta["article_id"]) != meta.get("article_hash"):
                    continue
                refs.append(ChunkRef(cid, meta["article_id"], meta.get("source", ""), int(meta.get("published_day", 0)),
                                     int(meta["start"]), int(meta["end"]), meta.get("article_hash", ""),
                                     meta.get("title") or None))
                texts.append(f"{meta.get('title', '')}\n{doc}")
        log.info("building the BM25 index over %d chunks", len(refs))
        index = LexicalIndex.build(refs, texts, revision)
        try:
            index.save(self.folder())
        except OSError as exc:  # a read-only store still answers, from memory
            log.warning("could not save the BM25 index: %s", exc)
        self.index = index
        return index
