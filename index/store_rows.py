"""How articles and chunks are laid out as Chroma rows, and read back.

An article is one row of the ``<collection>-articles`` collection (its
cleaned text as the document, its metadata and content hash as metadata);
each chunk is one row of ``<collection>`` (its text, its vector, where it sits
in its article and the hash of the article version it belongs to).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from .chunk import Chunk
from .documents import Article


@dataclass
class ChunkHit:
    """A retrieved chunk: where it sits in which article version, and its score."""

    id: str
    article_id: str
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


def blank_to_none(value):
    return value if value not in ("", None) else None


def article_metadata(article: Article, digest: str, day: int, chunks: int) -> dict:
    """The article row's metadata (Chroma metadata holds no None: blanks)."""
    return {"title": article.title or "", "source": article.source or "", "author": article.author or "",
            "url": article.url or "", "published": article.published or "", "published_day": day,
            "origin": article.origin, "hash": digest, "chunks": chunks}


def article_from_row(article_id: str, meta: dict, text: str) -> Article:
    return Article(id=article_id, title=blank_to_none(meta.get("title")), text=text,
                   source=blank_to_none(meta.get("source")), author=blank_to_none(meta.get("author")),
                   url=blank_to_none(meta.get("url")), published=blank_to_none(meta.get("published")),
                   origin=meta.get("origin", ""))


def chunk_nodes(article: Article, digest: str, day: int, chunks: list[Chunk], vectors) -> list:
    """The chunks as llama-index TextNodes (the store is written through
    llama-index's ChromaVectorStore, so its rows read like any other)."""
    from llama_index.core.schema import TextNode

    return [TextNode(
        id_=f"{article.id}:{digest[:8]}:{c.position}", text=c.text, embedding=[float(x) for x in vector],
        start_char_idx=c.start, end_char_idx=c.end,
        metadata={"article_id": article.id, "article_hash": digest, "position": c.position,
                  "start": c.start, "end": c.end, "title": article.title or "",
                  "source": article.source or "", "published_day": day},
        excluded_embed_metadata_keys=["article_hash"], excluded_llm_metadata_keys=["article_hash"],
    ) for c, vector in zip(chunks, vectors)]


def hit_from_ref(ref, score: float) -> ChunkHit:
    """A hit from the revision's chunk table (``lexical.ChunkRef``)."""
    return ChunkHit(ref.id, ref.article_id, ref.start, ref.end, score, ref.title, ref.article_hash)


class ArticleCache:
    """Articles read for answering, kept (the ``size`` last used) until the
    store's revision moves or this process writes; thread-safe."""

    def __init__(self, size: int):
        self.size = size
        self._rows: OrderedDict[str, tuple[str, Article]] = OrderedDict()  # id -> (hash, article)
        self._revision = None
        self._lock = threading.Lock()

    def get(self, revision: str, ids: list[str], fetch) -> dict[str, tuple[str, Article]]:
        """id -> (hash, article) for those of ``ids`` that exist;
        ``fetch(missing_ids)`` reads the others, as (id, metadata, text) rows."""
        with self._lock:
            if revision != self._revision:
                self._rows.clear()
                self._revision = revision
            missing = [i for i in ids if i not in self._rows]
        fetched = {i: (m.get("hash"), article_from_row(i, m, d)) for i, m, d in fetch(missing)} if missing else {}
        with self._lock:
            if revision == self._revision:
                self._rows.update(fetched)
            found = {i: self._rows.get(i) or fetched.get(i) for i in ids}
            for i in ids:
                if i in self._rows:
                    self._rows.move_to_end(i)
            while len(self._rows) > self.size:
                self._rows.popitem(last=False)
        return {i: row for i, row in found.items() if row is not None}

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
