"""The Chroma store: chunks with embeddings, cleaned articles, a manifest, and
the BM25 index kept in step with them.

Layout (embedded mode, under ``settings.store``)::

    chroma/        Chroma PersistentClient
    manifest.json  model, prompts, chunking, versions (also in the collection)
    bm25/          the lexical index for the current revision
    ingest.lock    held while an ingest writes

With a Chroma server the same two collections live on the server; the BM25
index is cached per server under ``QA_HOME`` and rebuilt whenever the store's
``revision`` (bumped by every ingest) differs from the cached one, so several
app processes sharing one server never answer from a stale BM25 index.

Crash safety: an article's chunks carry its content hash; the article record,
written last, is the commit.  Chunks whose hash does not match a committed
article are invisible to queries and removed by ``repair()``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .chunk import Chunk, sentence_texts
from .documents import Article
from .lexical import ChunkRef, LexicalIndex
from .settings import Settings, environment_defaults, qa_home

log = logging.getLogger(__name__)

STORE_FORMAT = 1
PAGE = 2000  # rows per Chroma get() page
RETIRE_AFTER_S = 60.0  # a reopened store's old Chroma system is kept this long for requests in flight
HEALTH_PROBE = 1000  # chunks the health check compares between the vector index and the records


class StoreError(RuntimeError):
    """A problem with the store a user can act on; the message says how."""


@contextmanager
def server_errors(location: str):
    """A Chroma server that went away mid-session becomes one StoreError
    line; the same client works again once the server is back."""
    import httpx

    try:
        yield
    except httpx.TransportError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreError(f"lost the Chroma server at {location}: {reason}; "
                         f"check that it is running (chroma run), then ask again") from exc


@dataclass
class ChunkHit:
    id: str
    article_id: str
    text: str
    start: int
    end: int
    score: float
    title: str | None = None
    article_hash: str = ""


def article_hash(article: Article) -> str:
    payload = json.dumps(article.public_dict(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def published_day(published: str | None) -> int:
    """``2021-04-26`` → 20210426; 0 when unknown (for Chroma range filters)."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", published or "")
    return int("".join(match.groups())) if match else 0


def _blank_to_none(value):
    return value if value not in ("", None) else None


class Store:
    def __init__(self, settings: Settings, embedder=None, create: bool = False):
        environment_defaults()
        self.settings = settings
        self._embedder = embedder
        self._lexical: LexicalIndex | None = None
        # After an ingest every asking thread sees the new revision at once:
        # one loads or rebuilds the BM25 index, the others wait for it.
        self._lexical_lock = threading.Lock()
        self._reopen_lock = threading.Lock()
        self._retired: list[tuple[float, object]] = []  # Chroma systems replaced by a reopen, and when
        self._open(create)
        self._seen = self._state()

    def _open(self, create: bool) -> None:
        self.client = self._connect(create)
        self.chunks = self._collection(self.settings.collection, create, {"hnsw": {"space": "cosine"}})
        self.articles = self._collection(self.settings.collection + "-articles", create, None)
        self.sentences = self._sentence_collection(create)

    # -- other processes' writes ----------------------------------------------------
    def _state(self) -> tuple[str, str]:
        """What changes whenever any process writes: the revision (each
        commit) and the writing flag (each ingest's start)."""
        meta = self._fresh_metadata()
        return str(meta.get("revision", "")), str(meta.get("writing", ""))

    def refresh(self) -> bool:
        """Reopen an embedded store that another process wrote to since this
        one last looked: Chroma keeps the vector index in memory, so this
        process would otherwise return deleted chunks, miss new ones and, if
        it wrote, corrupt the index. A Chroma server is always current."""
        if self.settings.uses_server:
            return False
        state = self._state()
        if state == self._seen:
            return False
        with self._reopen_lock:
            if state == self._seen:
                return False
            self._reopen()
            self._seen = state  # read before reopening: a later write is seen next time
        log.info("the store at %s changed in another process: reopened it", self.location)
        return True

    def _reopen(self) -> None:
        from chromadb.api.shared_system_client import SharedSystemClient

        # Chroma shares one system per path in a process; a new one reads the
        # files afresh. A replaced one may still serve a request in flight:
        # it is stopped at a later reopen, once RETIRE_AFTER_S have passed.
        now = time.monotonic()
        for retired_at, system in [r for r in self._retired if now - r[0] > RETIRE_AFTER_S]:
            system.stop()
        self._retired = [r for r in self._retired if now - r[0] <= RETIRE_AFTER_S]
        old = SharedSystemClient._identifier_to_system.pop(self.client._identifier, None)
        if old is not None:
            self._retired.append((now, old))
        self._open(create=False)

    # -- opening --------------------------------------------------------------
    def _connect(self, create: bool):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        s = self.settings
        if s.uses_server:
            try:
                client = chromadb.HttpClient(host=s.chroma_host, port=s.chroma_port, ssl=s.chroma_ssl,
                                             settings=chroma_settings)
                client.heartbeat()
            except Exception as exc:  # noqa: BLE001
                raise StoreError(f"cannot reach the Chroma server at {self.location}: {exc}") from exc
            return client
        path = Path(s.store)
        if not create and not (path / "chroma").exists():
            raise StoreError(f"no store at {path}: build one with `qa ingest PATH --store {path}`")
        if create:
            try:
                (path / "chroma").mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store at {path}: {exc.strerror}") from exc
        if create and not os.access(path, os.W_OK):
            raise StoreError(f"the store at {path} is read-only: cannot write to it")
        try:
            return chromadb.PersistentClient(path=str(path / "chroma"), settings=chroma_settings)
        except Exception as exc:  # noqa: BLE001
            if "readonly" in str(exc):  # Chroma writes to its database even to read it
                raise StoreError(f"the store at {path} is read-only: Chroma needs to write to open it; "
                                 f"copy it somewhere writable") from exc
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    def _collection(self, name: str, create: bool, configuration):
        try:
            if create:
                return self.client.get_or_create_collection(
                    name, configuration=configuration, embedding_function=None,
                    metadata={"format": STORE_FORMAT})
            return self.client.get_collection(name, embedding_function=None)
        except Exception as exc:  # noqa: BLE001
            if not create:
                raise StoreError(f"no collection {name!r} in {self.location}: "
                                 f"build it with `qa ingest PATH`") from exc
            raise StoreError(f"cannot open collection {name!r} in {self.location}: {exc}") from exc

    def _sentence_collection(self, create: bool):
        """Sentence vectors embedded at ingest, so answering does not embed
        them; a store built before them (or a sentence missing from it) is
        answered by embedding live."""
        name = self.settings.collection + "-sentences"
        if create:
            return self._collection(name, True, {"hnsw": {"space": "cosine"}})
        try:
            return self.client.get_collection(name, embedding_function=None)
        except Exception:  # noqa: BLE001 - an older store: answered without them
            return None

    @property
    def location(self) -> str:
        s = self.settings
        if s.uses_server:
            return f"{'https' if s.chroma_ssl else 'http'}://{s.chroma_host}:{s.chroma_port}/{s.collection}"
        return str(s.store)

    @property
    def embedder(self):
        if self._embedder is None:
            from .embed import Embedder

            self._embedder = Embedder(self.settings)
        return self._embedder

    # -- manifest ---------------------------------------------------------------
    @property
    def manifest(self) -> dict:
        meta = self._fresh_metadata()
        raw = meta.get("manifest")
        return json.loads(raw) if raw else {}

    def check_model(self) -> None:
        """Refuse to mix embeddings of two models in one store."""
        recorded = self.manifest.get("model")
        if recorded and recorded != self.settings.model:
            raise StoreError(
                f"the store at {self.location} was built with embedding model {recorded!r}, "
                f"not {self.settings.model!r}; use --model {recorded!r} (QA_MODEL) or another --store")

    def _write_manifest(self, revision: str) -> None:
        import chromadb
        import sentence_transformers

        manifest = {
            **self.embedder.identity(),
            "chunk_size": self.settings.chunk_size, "chunk_overlap": self.settings.chunk_overlap,
            "store_format": STORE_FORMAT, "revision": revision,
            "versions": {"chromadb": chromadb.__version__, "sentence_transformers": sentence_transformers.__version__},
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
        return self._article(got["ids"][0], got["metadatas"][0], got["documents"][0])

    @staticmethod
    def _article(article_id: str, meta: dict, text: str) -> Article:
        return Article(id=article_id, title=_blank_to_none(meta.get("title")), text=text,
                       source=_blank_to_none(meta.get("source")), author=_blank_to_none(meta.get("author")),
                       url=_blank_to_none(meta.get("url")), published=_blank_to_none(meta.get("published")),
                       origin=meta.get("origin", ""))

    def list_articles(self) -> list[dict]:
        rows = [{"id": i, "title": _blank_to_none(m.get("title")), "source": _blank_to_none(m.get("source")),
                 "published": _blank_to_none(m.get("published")), "chunks": int(m.get("chunks", 0))}
                for i, m in self.article_records().items()]
        return sorted(rows, key=lambda r: (r["published"] or "", r["title"] or ""), reverse=True)

    # -- writing ---------------------------------------------------------------
    def write_article(self, article: Article, chunks: list[Chunk], vectors) -> None:
        self.write_articles([(article, chunks, vectors)])

    def write_articles(self, batch: list[tuple[Article, list[Chunk], object]]) -> None:
        """Store articles: all their chunks first, then their records (the
        commit), then drop the chunks of their previous versions.  One Chroma
        call per step for the whole batch: per-article calls cost 13x more."""
        nodes, ids, documents, metadatas = [], [], [], []
        for article, chunks, vectors in batch:
            digest = article_hash(article)
            day = published_day(article.published)
            nodes += self._nodes(article, digest, day, chunks, vectors)
            ids.append(article.id)
            documents.append(article.text)
            metadatas.append({"title": article.title or "", "source": article.source or "",
                              "author": article.author or "", "url": article.url or "",
                              "published": article.published or "", "published_day": day,
                              "origin": article.origin, "hash": digest, "chunks": len(chunks)})
        for start in range(0, len(nodes), PAGE):  # Chroma takes at most 5,461 rows per call
            self._vector_store().add(nodes[start:start + PAGE])
        if ids:
            self.articles.upsert(ids=ids, embeddings=[[1.0]] * len(ids), documents=documents, metadatas=metadatas)
        for article_id, meta in zip(ids, metadatas):
            self.chunks.delete(where={"$and": [{"article_id": article_id}, {"article_hash": {"$ne": meta["hash"]}}]})

    # -- sentence vectors -----------------------------------------------------------
    def missing_sentences(self, sentences: dict[str, list[str]]) -> dict[str, list[str]]:
        """Of each article's sentence texts (article id -> texts), those with no
        stored vector: an updated article keeps the vectors of its unchanged
        sentences.  One request for the whole batch."""
        if self.sentences is None:
            return {a: [] for a in sentences}  # an older store: nowhere to keep them
        ids = {a: [sentence_id(a, t) for t in texts] for a, texts in sentences.items()}
        wanted = list(dict.fromkeys(i for article_ids in ids.values() for i in article_ids))
        have = set()
        for start in range(0, len(wanted), PAGE):  # SQLite takes at most 32,766 ids in one query
            have.update(self.sentences.get(ids=wanted[start:start + PAGE], include=[])["ids"])
        return {a: [t for t, i in zip(texts, ids[a]) if i not in have] for a, texts in sentences.items()}

    def write_sentences(self, batch: list[tuple[Article, list[str], object]]) -> None:
        """Store the vectors of new sentences (before their articles are
        committed: a killed ingest leaves orphans that ``repair`` removes)."""
        if self.sentences is None:
            return
        ids, vectors, metadatas = [], [], []
        for article, texts, article_vectors in batch:
            for text, vector in zip(texts, article_vectors):
                ids.append(sentence_id(article.id, text))
                vectors.append([float(x) for x in vector])
                metadatas.append({"article_id": article.id})
        for start in range(0, len(ids), PAGE):
            self.sentences.upsert(ids=ids[start:start + PAGE], embeddings=vectors[start:start + PAGE],
                                  metadatas=metadatas[start:start + PAGE])

    def drop_old_sentences(self, current: dict[str, list[str]]) -> None:
        """Remove the vectors of sentences the articles (id -> sentence texts
        of the version just committed) no longer have."""
        if self.sentences is None or not current:
            return
        keep = {sentence_id(a, t) for a, texts in current.items() for t in texts}
        got = self.sentences.get(where={"article_id": {"$in": list(current)}}, include=[])
        stale = [i for i in got["ids"] if i not in keep]
        for start in range(0, len(stale), PAGE):
            self.sentences.delete(ids=stale[start:start + PAGE])

    def sentence_vectors(self, sentences: list[tuple[str, str]]) -> dict[tuple[str, str], np.ndarray]:
        """The stored vectors of (article id, sentence text) pairs; pairs with
        none are left out."""
        if self.sentences is None or not sentences:
            return {}
        by_id = {sentence_id(a, t): (a, t) for a, t in sentences}
        got = self.sentences.get(ids=list(by_id), include=["embeddings"])
        return {by_id[i]: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"])}

    def _nodes(self, article: Article, digest: str, day: int, chunks: list[Chunk], vectors):
        from llama_index.core.schema import TextNode

        return [TextNode(
            id_=f"{article.id}:{digest[:8]}:{c.position}", text=c.text, embedding=[float(x) for x in vector],
            start_char_idx=c.start, end_char_idx=c.end,
            metadata={"article_id": article.id, "article_hash": digest, "position": c.position,
                      "start": c.start, "end": c.end, "title": article.title or "",
                      "source": article.source or "", "published_day": day},
            excluded_embed_metadata_keys=["article_hash"], excluded_llm_metadata_keys=["article_hash"],
        ) for c, vector in zip(chunks, vectors)]

    def _vector_store(self):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.chunks)

    def delete_article(self, article_id: str) -> bool:
        existed = bool(self.articles.get(ids=[article_id])["ids"])
        self.articles.delete(ids=[article_id])
        self.chunks.delete(where={"article_id": article_id})
        if self.sentences is not None:
            self.sentences.delete(where={"article_id": article_id})
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
            self._drop_stray_sentences()
        if orphans:
            log.info("repaired the store: removed %d chunks of unfinished articles", len(orphans))
        return len(orphans)

    def _drop_stray_sentences(self) -> None:
        """Sentence vectors of uncommitted articles or of versions replaced
        before their old sentences were dropped."""
        expected = {sentence_id(i, t) for ids, _, docs in self._pages(self.articles, include=["documents"])
                    for i, doc in zip(ids, docs) for t in sentence_texts(doc or "")}
        stray = [sid for ids, _, _ in self._pages(self.sentences, include=[]) for sid in ids if sid not in expected]
        for start in range(0, len(stray), PAGE):
            self.sentences.delete(ids=stray[start:start + PAGE])
        if stray:
            log.info("repaired the store: removed %d stray sentence vectors", len(stray))

    def begin_writing(self) -> None:
        """Flag the store as being written; ``commit`` clears the flag, so an
        ingest killed half-way is known to the next one, which commits."""
        meta = self._fresh_metadata()
        meta["writing"] = uuid.uuid4().hex
        self.chunks.modify(metadata=meta)
        self._seen = (str(meta.get("revision", "")), meta["writing"])

    def unfinished(self) -> bool:
        return bool(self._fresh_metadata().get("writing"))

    def _fresh_metadata(self) -> dict:
        """The collection's metadata as stored now (another process may have
        committed since this one opened it)."""
        return dict(self.client.get_collection(self.settings.collection, embedding_function=None).metadata or {})

    def commit(self) -> str:
        """Mark the store changed: new revision, manifest, fresh BM25 index."""
        revision = uuid.uuid4().hex
        with self._lexical_lock:  # questions seeing the new revision wait for this build
            self._write_manifest(revision)
            self._seen = (revision, "")
            self._lexical = self._build_lexical(revision)
        return revision

    def health(self) -> dict:
        """A real probe, not a flag: the store answers, a stored chunk's own
        vector finds chunks that the store has, and BM25 loads for the
        current revision."""
        try:
            with server_errors(self.location):
                self.refresh()
                articles = self.articles.count()
                self._check_vector_index()
                self.lexical()
        except Exception as exc:  # noqa: BLE001 - reported, not raised: this is the health check
            log.warning("health check failed: %s", exc)
            return {"status": "error", "error": " ".join(f"{exc}".split()) or type(exc).__name__}
        return {"status": "ok", "articles": articles}

    def _check_vector_index(self) -> None:
        """The vector index (in memory) holds exactly the chunks the records
        (SQLite) hold: all of them in a small store, the nearest
        HEALTH_PROBE to a stored chunk in a large one."""
        count = self.chunks.count()
        probe = self.chunks.get(limit=1, include=["embeddings"])
        if not probe["ids"]:
            return
        vector = [[float(x) for x in probe["embeddings"][0]]]
        if count <= HEALTH_PROBE:  # asking for more than there are returns every chunk the index has
            found = len(self.chunks.query(query_embeddings=vector, n_results=count + 1, include=[])["ids"][0])
            broken = found != count
        else:
            got = self.chunks.query(query_embeddings=vector, n_results=HEALTH_PROBE, include=["metadatas"])
            broken = any(m is None for m in got["metadatas"][0])
        if broken:
            raise StoreError(f"the vector index of {self.location} lists chunks the store does not have "
                             f"(or misses some): restart the app")

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
        """Nearest chunks by cosine similarity (1 = same direction).

        Queries the collection directly rather than through llama-index's
        ChromaVectorStore (which wrote it): same call underneath, and a cold
        `qa ask` does not pay ~2 s for importing llama-index."""
        self.refresh()
        if self.chunks.count() == 0:
            return []
        got = self.chunks.query(query_embeddings=[[float(x) for x in vector]], n_results=k, where=where or None,
                                include=["metadatas", "documents", "distances"])
        # a chunk another process deleted a moment ago comes back without metadata: skipped
        return [_hit(cid, meta, doc, 1.0 - distance)
                for cid, meta, doc, distance in zip(got["ids"][0], got["metadatas"][0], got["documents"][0],
                                                    got["distances"][0]) if meta is not None]

    def get_chunks(self, chunk_ids: list[str]) -> dict[str, ChunkHit]:
        if not chunk_ids:
            return {}
        got = self.chunks.get(ids=list(dict.fromkeys(chunk_ids)), include=["metadatas", "documents"])
        return {cid: _hit(cid, m, doc, 0.0) for cid, m, doc in zip(got["ids"], got["metadatas"], got["documents"])}

    def chunk_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """The stored embeddings of these chunks."""
        if not chunk_ids:
            return {}
        got = self.chunks.get(ids=list(dict.fromkeys(chunk_ids)), include=["embeddings"])
        return {cid: np.asarray(v, dtype=np.float32) for cid, v in zip(got["ids"], got["embeddings"])}

    def resolve(self, hits: list[ChunkHit]) -> list[tuple[ChunkHit, Article]]:
        """Pair hits with their articles, dropping chunks of uncommitted or
        replaced article versions (left by an interrupted ingest)."""
        ids = list(dict.fromkeys(h.article_id for h in hits))
        if not ids:
            return []
        got = self.articles.get(ids=ids, include=["metadatas", "documents"])
        articles = {i: (m.get("hash"), self._article(i, m, d))
                    for i, m, d in zip(got["ids"], got["metadatas"], got["documents"])}
        return [(h, articles[h.article_id][1]) for h in hits
                if h.article_id in articles and articles[h.article_id][0] == h.article_hash]

    def lexical(self) -> LexicalIndex:
        """The BM25 index for the store's current revision (rebuilt if stale)."""
        self.refresh()
        revision = self.revision
        current = self._lexical
        if current is not None and current.revision == revision:
            return current
        with self._lexical_lock:
            if self._lexical is not None and self._lexical.revision == revision:
                return self._lexical  # built by the thread we waited for
            loaded = LexicalIndex.load(self._lexical_dir(), revision)
            self._lexical = loaded if loaded is not None else self._build_lexical(revision)
            return self._lexical

    def idf(self, terms: list[str]) -> dict[str, float]:
        """BM25 idf of ``terms`` over the chunks, from the BM25 index last
        loaded: retrieval has just checked that it is current."""
        return (self._lexical or self.lexical()).idf(terms)

    def _lexical_dir(self) -> Path:
        s = self.settings
        if s.uses_server:
            return qa_home() / "bm25-cache" / f"{s.chroma_host}_{s.chroma_port}_{s.collection}"
        return Path(s.store) / "bm25"

    def _build_lexical(self, revision: str) -> LexicalIndex:
        committed = self.committed_hashes()
        refs, texts = [], []
        for ids, metas, docs in self._pages(self.chunks, include=["metadatas", "documents"]):
            for cid, meta, doc in zip(ids, metas, docs):
                if committed.get(meta["article_id"]) != meta.get("article_hash"):
                    continue
                refs.append(ChunkRef(cid, meta["article_id"], meta.get("source", ""), int(meta.get("published_day", 0))))
                texts.append(f"{meta.get('title', '')}\n{doc}")
        log.info("building the BM25 index over %d chunks", len(refs))
        index = LexicalIndex.build(refs, texts, revision)
        try:
            index.save(self._lexical_dir())
        except OSError as exc:  # a read-only store still answers, from memory
            log.warning("could not save the BM25 index: %s", exc)
        return index


def sentence_id(article_id: str, text: str) -> str:
    """Content-addressed: a sentence an article keeps across versions keeps its vector."""
    return f"{article_id}:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:16]}"


def _hit(chunk_id: str, meta: dict, text: str, score: float) -> ChunkHit:
    return ChunkHit(chunk_id, meta["article_id"], text, int(meta["start"]), int(meta["end"]), score,
                    _blank_to_none(meta.get("title")), meta.get("article_hash", ""))
