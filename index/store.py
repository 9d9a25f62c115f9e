"""The Chroma store: chunks with embeddings, cleaned articles, a manifest, and
the BM25 index kept in step with them.

Layout (embedded mode, under ``settings.store``)::

    chroma/        Chroma PersistentClient
    manifest.json  model, prompts, chunking, versions (also in the collection)
    bm25/          the lexical index for the current revision
    ingest.lock    held while an ingest writes

With a Chroma server the same collections live on the server; the BM25
index is cached per server under ``QA_HOME`` and rebuilt whenever the store's
``revision`` (bumped by every ingest) differs from the cached one, so several
app processes sharing one server never answer from a stale BM25 index.

Crash safety: an article's chunks carry its content hash; the article record,
written last, is the commit.  Chunks whose hash does not match a committed
article are invisible to queries and removed by ``repair()``.

Beside this module: opening Chroma (``store_open``), the row layout
(``store_rows``), the sentence vectors (``sentences``), the BM25 index in
step (``store_lexical``), other processes' writes and the health probe
(``store_health``).
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path

import numpy as np

from . import store_health, store_open
from .chunk import Chunk, sentence_texts
from .documents import Article
from .lexical import LexicalIndex
from .sentences import SentenceVectors, sentence_id
from .settings import Settings, environment_defaults
from .store_lexical import LexicalKeeper
from .store_open import STORE_FORMAT
from .store_errors import StoreError, server_errors
from .store_rows import (ArticleCache, ChunkHit, article_from_row, article_hash, article_metadata, blank_to_none,
                         chunk_nodes, hit_from_ref, published_day)

log = logging.getLogger(__name__)

PAGE = 2000  # rows per Chroma get() page
ARTICLE_CACHE = 512  # articles a process keeps between questions (news articles: ~5 KB each)

__all__ = ["Store", "StoreError", "ChunkHit", "server_errors", "article_hash", "published_day", "sentence_id"]


class Store:
    def __init__(self, settings: Settings, embedder=None, create: bool = False):
        environment_defaults()
        self.settings = settings
        self._embedder = embedder
        self.bm25 = LexicalKeeper(self)
        self._article_cache = ArticleCache(ARTICLE_CACHE)
        self._open(create)
        self.freshness = store_health.Freshness(self)

    def _open(self, create: bool) -> None:
        name, where = self.settings.collection, self.location
        self.client = store_open.connect(self.settings, create)
        self.chunks = store_open.collection(self.client, name, create, {"hnsw": {"space": "cosine"}}, where)
        self.articles = store_open.collection(self.client, name + "-articles", create, None, where)
        self.sentence_store = SentenceVectors(store_open.sentence_collection(self.client, name + "-sentences",
                                                                             create, where))

    @property
    def sentences(self):
        """The sentence-vector collection (None in a store built before it)."""
        return self.sentence_store.collection

    @property
    def location(self) -> str:
        return store_open.location(self.settings)

    @property
    def embedder(self):
        if self._embedder is None:
            from .embed import Embedder

            self._embedder = Embedder(self.settings)
        return self._embedder

    # -- other processes' writes, health (store_health.py) ----------------------------
    def refresh(self, force: bool = False) -> bool:
        """Reopen an embedded store that another process wrote to since this
        one last looked (see ``store_health.Freshness``; ``force``: look now,
        not trusting a look of the last ``revision_check_s`` seconds)."""
        return self.freshness.refresh(force)

    def health(self) -> dict:
        """``{"status": "ok", "articles": N}`` or ``{"status": "error", "error": …}``."""
        return store_health.health(self)

    def _fresh_metadata(self) -> dict:
        """The collection's metadata as stored now (another process may have
        committed since this one opened it)."""
        return dict(self.client.get_collection(self.settings.collection, embedding_function=None).metadata or {})

    # -- manifest ---------------------------------------------------------------
    @property
    def manifest(self) -> dict:
        raw = self._fresh_metadata().get("manifest")
        return json.loads(raw) if raw else {}

    def check_model(self) -> None:
        """Refuse to mix embeddings of two models in one store."""
        recorded = self.manifest.get("model")
        if recorded and recorded != self.settings.model:
            raise StoreError(
                f"the store at {self.location} was built with embedding model {recorded!r}, "
                f"not {self.settings.model!r}; use --model {recorded!r} (QA_MODEL) or another --store")

    def _write_manifest(self, revision: str) -> None:
        from importlib.metadata import version

        import chromadb

        manifest = {
            **self.embedder.identity(),
            "chunk_size": self.settings.chunk_size, "chunk_overlap": self.settings.chunk_overlap,
            "store_format": STORE_FORMAT, "revision": revision,
            "versions": {"chromadb": chromadb.__version__, "sentence_transformers": version("sentence-transformers")},
        }
        self.chunks.modify(metadata={"format": STORE_FORMAT, "revision": revision,
                                     "manifest": json.dumps(manifest, ensure_ascii=False)})
        if not self.settings.uses_server:
            (Path(self.settings.store) / "manifest.json").write_text(
                json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @property
    def revision(self) -> str:
        return str(self._fresh_metadata().get("revision", ""))

    # -- articles -------------------------------------------------------------
    def article_records(self) -> dict[str, dict]:
        """article id -> metadata of every committed article."""
        self.refresh()
        records = {}
        for ids, metas, _docs in self._pages(self.articles, include=["metadatas"]):
            records.update(zip(ids, metas))
        return records

    def committed_hashes(self) -> dict[str, str]:
        """article id -> content hash of its committed version."""
        return {i: m.get("hash") for i, m in self.article_records().items()}

    def get_article(self, article_id: str) -> Article | None:
        self.refresh()
        got = self.articles.get(ids=[article_id], include=["metadatas", "documents"])
        if not got["ids"]:
            return None
        return article_from_row(got["ids"][0], got["metadatas"][0], got["documents"][0])

    def list_articles(self) -> list[dict]:
        rows = [{"id": i, "title": blank_to_none(m.get("title")), "source": blank_to_none(m.get("source")),
                 "published": blank_to_none(m.get("published")), "chunks": int(m.get("chunks", 0))}
                for i, m in self.article_records().items()]
        return sorted(rows, key=lambda r: (r["published"] or "", r["title"] or ""), reverse=True)

    # -- writing ---------------------------------------------------------------
    def write_article(self, article: Article, chunks: list[Chunk], vectors) -> None:
        self.write_articles([(article, chunks, vectors)])

    def write_articles(self, batch: list[tuple[Article, list[Chunk], object]]) -> None:
        """Store articles: all their chunks first, then their records (the
        commit), then drop the chunks of their previous versions.  One Chroma
        call per step for the whole batch: per-article calls cost 13x more."""
        self._article_cache.clear()
        nodes, ids, documents, metadatas = [], [], [], []
        for article, chunks, vectors in batch:
            digest = article_hash(article)
            day = published_day(article.published)
            nodes += chunk_nodes(article, digest, day, chunks, vectors)
            ids.append(article.id)
            documents.append(article.text)
            metadatas.append(article_metadata(article, digest, day, len(chunks)))
        for start in range(0, len(nodes), PAGE):  # Chroma takes at most 5,461 rows per call
            self._vector_store().add(nodes[start:start + PAGE])
        if ids:
            self.articles.upsert(ids=ids, embeddings=[[1.0]] * len(ids), documents=documents, metadatas=metadatas)
        for article_id, meta in zip(ids, metadatas):
            self.chunks.delete(where={"$and": [{"article_id": article_id}, {"article_hash": {"$ne": meta["hash"]}}]})

    def _vector_store(self):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.chunks)

    def delete_article(self, article_id: str) -> bool:
        self._article_cache.clear()
        existed = bool(self.articles.get(ids=[article_id])["ids"])
        self.articles.delete(ids=[article_id])
        self.chunks.delete(where={"article_id": article_id})
        self.sentence_store.drop_article(article_id)
        return existed

    def repair(self, thorough: bool = False) -> int:
        """Remove chunks that belong to no committed article version (left by
        an ingest that was killed half-way); ``thorough`` (after such a kill)
        also removes sentence vectors that no committed version has.  Returns
        how many chunks were removed."""
        committed = self.committed_hashes()
        orphans = [cid for ids, metas, _ in self._pages(self.chunks, include=["metadatas"])
                   for cid, m in zip(ids, metas) if committed.get(m.get("article_id")) != m.get("article_hash")]
        for start in range(0, len(orphans), PAGE):
            self.chunks.delete(ids=orphans[start:start + PAGE])
        if thorough and self.sentences is not None:
            expected = {sentence_id(i, t) for ids, _, docs in self._pages(self.articles, include=["documents"])
                        for i, doc in zip(ids, docs) for t in sentence_texts(doc or "")}
            self.sentence_store.drop_stray(expected, self._pages)
        if orphans:
            log.info("repaired the store: removed %d chunks of unfinished articles", len(orphans))
        return len(orphans)

    def begin_writing(self) -> None:
        """Flag the store as being written; ``commit`` clears the flag, so an
        ingest killed half-way is known to the next one, which commits."""
        meta = self._fresh_metadata()
        meta["writing"] = uuid.uuid4().hex
        self.chunks.modify(metadata=meta)
        self.freshness.wrote((str(meta.get("revision", "")), meta["writing"]))

    def unfinished(self) -> bool:
        return bool(self._fresh_metadata().get("writing"))

    def commit(self) -> str:
        """Mark the store changed: new revision, manifest, fresh BM25 index."""
        revision = uuid.uuid4().hex
        with self.bm25.lock:  # questions seeing the new revision wait for this build
            self._write_manifest(revision)
            self.freshness.wrote((revision, ""))
            self.bm25.build(revision)
        return revision

    # -- sentence vectors (sentences.py) ------------------------------------------------
    def missing_sentences(self, sentences: dict[str, list[str]]) -> dict[str, list[str]]:
        return self.sentence_store.missing(sentences)

    def write_sentences(self, batch: list[tuple[Article, list[str], object]]) -> None:
        self.sentence_store.write(batch)

    def drop_old_sentences(self, current: dict[str, list[str]]) -> None:
        self.sentence_store.drop_old(current)

    def sentence_vectors(self, sentences: list[tuple[str, str]]) -> dict[tuple[str, str], np.ndarray]:
        """The stored vectors of (article id, sentence text) pairs; pairs with none are left out."""
        return self.sentence_store.read(sentences)

    # -- reading ---------------------------------------------------------------
    def _pages(self, collection, include):
        offset = 0
        while True:
            got = collection.get(include=include, limit=PAGE, offset=offset)
            if not got["ids"]:
                return
            yield got["ids"], got.get("metadatas") or [None] * len(got["ids"]), got.get("documents")
            offset += len(got["ids"])

    def count_chunks(self) -> int:
        return self.chunks.count()

    def dense_search(self, vector, k: int, where: dict | None = None) -> list[ChunkHit]:
        """Nearest committed chunks by cosine similarity (1 = same direction).

        One Chroma query asking for ids and distances only: what a hit says
        comes from the revision's chunk table (``lexical().refs``), which
        also leaves out chunks of uncommitted versions and ones another
        process deleted a moment ago.  Queried directly rather than through
        llama-index's ChromaVectorStore (which wrote it): same call
        underneath, and a cold `qa ask` does not import llama-index."""
        table = self.lexical().by_id
        if not table:  # nothing committed: no need to ask
            return []
        # a float32 array as it is: no list of 384 Python floats to build and
        # for Chroma to turn back into an array (~20 us of a ~1 ms query)
        query = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        got = self.chunks.query(query_embeddings=query, n_results=k, where=where or None, include=["distances"])
        return [hit_from_ref(table[cid], 1.0 - distance)
                for cid, distance in zip(got["ids"][0], got["distances"][0]) if cid in table]

    def chunk_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """The stored embeddings of these chunks."""
        if not chunk_ids:
            return {}
        got = self.chunks.get(ids=list(dict.fromkeys(chunk_ids)), include=["embeddings"])
        return {cid: np.asarray(v, dtype=np.float32) for cid, v in zip(got["ids"], got["embeddings"])}

    def resolve(self, hits: list[ChunkHit]) -> list[tuple[ChunkHit, Article]]:
        """Pair hits with their articles, dropping chunks of uncommitted or
        replaced article versions (left by an interrupted ingest).  Articles
        read once are kept until the revision moves (``ArticleCache``), so a
        warm process mostly asks Chroma nothing here."""
        wanted = list(dict.fromkeys(h.article_id for h in hits))
        if not wanted:
            return []

        def fetch(ids):
            got = self.articles.get(ids=ids, include=["metadatas", "documents"])
            return zip(got["ids"], got["metadatas"], got["documents"])

        found = self._article_cache.get(self.freshness.last()[0], wanted, fetch)  # the search looked
        return [(h, found[h.article_id][1]) for h in hits
                if h.article_id in found and found[h.article_id][0] == h.article_hash]

    # -- the BM25 index (store_lexical.py) ----------------------------------------------
    def lexical(self) -> LexicalIndex:
        """The BM25 index and chunk table for the store's current revision
        (rebuilt if stale)."""
        self.refresh()
        return self.bm25.current(self.freshness.last()[0])

    def idf(self, terms: list[str]) -> dict[str, float]:
        """BM25 idf of ``terms`` over the chunks, from the BM25 index last
        loaded: retrieval has just checked that it is current."""
        return (self.bm25.index or self.lexical()).idf(terms)
