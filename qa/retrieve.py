"""Hybrid retrieval: dense (Chroma, e5 ``query:`` prompt) and BM25 (Arabic
normalisation + stemmer), fused by reciprocal rank, with source and date
filters applied inside both retrievers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.settings import Settings
from index.store import ChunkHit, Store
from index.store_rows import hit_from_ref

from .answer import Passage
from .fuse import rrf

MODES = ("hybrid", "dense", "bm25")


@dataclass
class Filters:
    sources: list[str] | None = None
    since: int | None = None  # YYYYMMDD
    until: int | None = None
    # Keep articles without a date inside since–until: a question's own time
    # window cannot say an undated article is outside it (a caller's filter can).
    undated: bool = False

    def chroma_where(self) -> dict | None:
        clauses = []
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        days = [{"published_day": {"$gt": 0}}]
        if self.since is not None:
            days.append({"published_day": {"$gte": self.since}})
        if self.until is not None:
            days.append({"published_day": {"$lte": self.until}})
        if len(days) > 1:
            dated = {"$and": days}
            clauses.append({"$or": [dated, {"published_day": 0}]} if self.undated else dated)
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def parse_day(value, end: bool = False) -> int | None:
    """``2021``, ``2021-04`` or ``2021-04-26`` → YYYYMMDD; ``end`` picks the
    last day of a year or month."""
    if value in (None, ""):
        return None
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(value).strip())
    if not match:
        raise ValueError(f"تاريخ غير صالح: {value!r}؛ اكتب سنة أو سنة-شهر أو سنة-شهر-يوم "
                         f"(not a date: {value!r}; use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    month = int(month) if month else (12 if end else 1)
    day = int(day) if day else (31 if end else 1)
    return int(year) * 10000 + month * 100 + day


class Retriever:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings

    def dense(self, query: str, k: int, filters: Filters) -> list[ChunkHit]:
        vector = self.store.embedder.embed_query([query])[0]
        return self.store.dense_search(vector, k, filters.chroma_where())

    def bm25(self, query: str, k: int, filters: Filters) -> list[ChunkHit]:
        found = self.store.lexical().search(query, k, filters.sources, filters.since, filters.until,
                                              filters.undated)
        return [hit_from_ref(ref, score) for ref, score in found]

    def search(self, query: str, k: int | None = None, filters: Filters | None = None,
               mode: str | None = None) -> list[Passage]:
        """The ``k`` best passages for ``query``, best first, one per chunk."""
        k = k or self.settings.top_k
        filters = filters or Filters()
        mode = mode or self.settings.fusion
        if mode == "rrf":
            mode = "hybrid"
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose one of {', '.join(MODES)}")
        dense = self.dense(query, self.settings.dense_k, filters) if mode in ("hybrid", "dense") else []
        lexical = self.bm25(query, self.settings.bm25_k, filters) if mode in ("hybrid", "bm25") else []
        fused = rrf([[h.id for h in dense], [h.id for h in lexical]], k=self.settings.rrf_k)
        by_id = {h.id: h for h in lexical} | {h.id: h for h in dense}
        dense_scores = {h.id: h.score for h in dense}
        bm25_scores = {h.id: h.score for h in lexical}
        chosen = [by_id[cid] for cid, _ in fused[: k * 2]]  # spare ones replace stale chunks
        passages = []
        fused_scores = dict(fused)
        for hit, article in self.store.resolve(chosen):
            passages.append(Passage(hit.id, article, hit.start, hit.end, fused_scores[hit.id],
                                    dense_scores.get(hit.id), bm25_scores.get(hit.id)))
        passages = passages[:k]
        if mode == "bm25":  # the answer's confidence weighs each passage's cosine too
            self._add_cosines(query, passages)
        return passages

    def _add_cosines(self, query: str, passages: list[Passage]) -> None:
        vectors = self.store.chunk_vectors([p.chunk_id for p in passages])
        if not vectors:
            return
        question = self.store.embedder.embed_query([query])[0]
        for passage in passages:
            if passage.chunk_id in vectors:
                passage.dense = float(vectors[passage.chunk_id] @ question)
