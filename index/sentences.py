"""The sentence-vector collection: a vector for every sentence of every
stored article, embedded at ingest, so that answering reads them instead of
embedding them.

Vectors are content-addressed (``sentence_id``: article id + hash of the
sentence text), so an updated article re-embeds only its new sentences.  A
store built before this collection existed has none (``collection`` is
None): everything here then does nothing and answering embeds live.
"""

from __future__ import annotations

import hashlib
import logging

import numpy as np

log = logging.getLogger(__name__)

PAGE = 2000  # ids per Chroma call: SQLite takes at most 32,766 in one query, Chroma 5,461 rows per write


def sentence_id(article_id: str, text: str) -> str:
    """Content-addressed: a sentence an article keeps across versions keeps its vector."""
    return f"{article_id}:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:16]}"


class SentenceVectors:
    def __init__(self, collection):
        self.collection = collection

    def missing(self, sentences: dict[str, list[str]]) -> dict[str, list[str]]:
        """Of each article's sentence texts (article id -> texts), those with no
        stored vector: an updated article keeps the vectors of its unchanged
        sentences.  One request for the whole batch."""
        if self.collection is None:
            return {a: [] for a in sentences}  # an older store: nowhere to keep them
        ids = {a: [sentence_id(a, t) for t in texts] for a, texts in sentences.items()}
        wanted = list(dict.fromkeys(i for article_ids in ids.values() for i in article_ids))
        have = set()
        for start in range(0, len(wanted), PAGE):
            have.update(self.collection.get(ids=wanted[start:start + PAGE], include=[])["ids"])
        return {a: [t for t, i in zip(texts, ids[a]) if i not in have] for a, texts in sentences.items()}

    def write(self, batch: list[tuple[object, list[str], object]]) -> None:
        """Store the vectors of new sentences, ``(article, texts, vectors)``
        each (before their articles are committed: a killed ingest leaves
        orphans that ``drop_stray`` removes)."""
        if self.collection is None:
            return
        ids, vectors, metadatas = [], [], []
        for article, texts, article_vectors in batch:
            for text, vector in zip(texts, article_vectors):
                ids.append(sentence_id(article.id, text))
                vectors.append([float(x) for x in vector])
                metadatas.append({"article_id": article.id})
        for start in range(0, len(ids), PAGE):
            self.collection.upsert(ids=ids[start:start + PAGE], embeddings=vectors[start:start + PAGE],
                                   metadatas=metadatas[start:start + PAGE])

    def drop_old(self, current: dict[str, list[str]]) -> None:
        """Remove the vectors of sentences the articles (id -> sentence texts
        of the version just committed) no longer have."""
        if self.collection is None or not current:
            return
        keep = {sentence_id(a, t) for a, texts in current.items() for t in texts}
        got = self.collection.get(where={"article_id": {"$in": list(current)}}, include=[])
        stale = [i for i in got["ids"] if i not in keep]
        self._delete(stale)

    def drop_article(self, article_id: str) -> None:
        if self.collection is not None:
            self.collection.delete(where={"article_id": article_id})

    def drop_stray(self, expected: set[str], pages) -> None:
        """Remove every vector whose id is not in ``expected`` (the sentence
        ids of the committed versions); ``pages`` pages through a collection
        (the store's paging)."""
        if self.collection is None:
            return
        stray = [sid for ids, _, _ in pages(self.collection, include=[]) for sid in ids if sid not in expected]
        self._delete(stray)
        if stray:
            log.info("repaired the store: removed %d stray sentence vectors", len(stray))

    def read(self, sentences: list[tuple[str, str]]) -> dict[tuple[str, str], np.ndarray]:
        """The stored vectors of (article id, sentence text) pairs; pairs with
        none are left out."""
        if self.collection is None or not sentences:
            return {}
        by_id = {sentence_id(a, t): (a, t) for a, t in sentences}
        got = self.collection.get(ids=list(by_id), include=["embeddings"])
        return {by_id[i]: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"])}

    def count(self) -> int:
        return self.collection.count() if self.collection is not None else 0

    def _delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), PAGE):
            self.collection.delete(ids=ids[start:start + PAGE])
