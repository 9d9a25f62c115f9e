"""One very long article: its writes are paged under SQLite's and Chroma's
batch limits (a 4.7 MB article used to fail there), every stage shows its
progress, and an article over QA_MAX_ARTICLE_CHARS is refused with its size.

Plumbing only, so a tiny deterministic embedder stands in for the model
(the size of the store is the point, not the vectors).
"""

from __future__ import annotations

import hashlib

import numpy as np

from index.build import ingest
from index.chunk import sentence_texts
from index.settings import Settings
from index.store import Store
from tests.test_reliability import check_store

SENTENCES = 33_000  # SQLite takes at most 32,766 ids in one query
SQLITE_LIMIT, CHROMA_BATCH = 32_766, 5_461


class TinyEmbedder:
    """Eight numbers from a hash of the text: deterministic, no model."""

    def __init__(self, settings: Settings):
        self.name = settings.model
        self.dimension = 8

    def embed_passages(self, texts, show_progress: bool = False) -> np.ndarray:
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:8], dtype=np.uint8) for t in texts]
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), 8) + 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    embed_query = embed_passages

    def identity(self) -> dict:
        return {"model": self.name, "dimension": 8}


def test_a_long_article_is_paged_and_shows_each_stage(tmp_path, capfd):
    path = tmp_path / "long.txt"
    path.write_text("خبر طويل جداً\n\n" + " ".join(f"جملة رقم {i} من الخبر." for i in range(SENTENCES)),
                    encoding="utf-8")
    settings = Settings.from_env(store=tmp_path / "store", chunk_size=150)  # many chunks from a modest file
    store = Store(settings, embedder=TinyEmbedder(settings), create=True)

    summary = ingest([path], settings, store=store, progress=True)

    assert summary["added"] == 1 and not summary["failed"], summary
    article = store.get_article(store.list_articles()[0]["id"])
    assert len(sentence_texts(article.text)) > SQLITE_LIMIT
    assert summary["chunks"] == store.count_chunks() > CHROMA_BATCH
    assert store.sentences.count() == len(sentence_texts(article.text))
    assert not check_store(store)["orphans"]
    err = capfd.readouterr().err
    for stage in ("clean: 100%", "embed: 100%", "store: 100%"):
        assert stage in err, err[-2000:]
    assert "read: " in err and f"{summary['chunks'] + store.sentences.count()}/" in err


def test_an_article_over_the_limit_is_refused_with_its_size(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("خبر\n\n" + "جملة من الخبر الطويل. " * 2000, encoding="utf-8")
    settings = Settings.from_env(store=tmp_path / "store", max_article_chars=10_000)
    summary = ingest([path], settings, store=Store(settings, embedder=TinyEmbedder(settings), create=True),
                     progress=False)
    assert summary["added"] == 0
    assert summary["failed"] == [{"path": str(path), "error": "article is 43,999 characters after cleaning, over the "
                                                              "limit of 10,000 (max_article_chars)"}]
