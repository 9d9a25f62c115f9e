"""The Arabic BM25 index beside the Chroma store.

bm25s scores the chunks; tokens come from ``arabic.content_terms`` (search
normalisation + Snowball Arabic stemmer).  bm25s does not save its stemmer, so
``lexical.json`` records ours and the store revision the index was built for:
a reloaded index with another analyser or an older revision is rebuilt.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import arabic

log = logging.getLogger(__name__)


def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # its import sets DEBUG: a line per build
    return bm25s


ANALYSER = "arabic-light10+snowball-arabic+normalise/v4"  # v4: stop words behind a glued و/ف


@dataclass
class ChunkRef:
    """What BM25 needs to know about a chunk to filter and report it."""

    id: str
    article_id: str
    source: str
    published_day: int


class LexicalIndex:
    def __init__(self, refs: list[ChunkRef], revision: str, retriever=None):
        self.refs = refs
        self.revision = revision
        self._retriever = retriever
        self._sources = np.array([r.source for r in refs], dtype=object)
        self._days = np.array([r.published_day for r in refs], dtype=np.int64)

    @classmethod
    def build(cls, refs: list[ChunkRef], texts: list[str], revision: str) -> "LexicalIndex":
        retriever = None
        if refs:
            retriever = _bm25s().BM25()
            # An all-stop-word chunk still needs one token for bm25s.
            retriever.index([arabic.content_terms(t) or ["\u2205"] for t in texts], show_progress=False)
        return cls(refs, revision, retriever)

    def search(self, query: str, k: int, sources: list[str] | None = None,
               since: int | None = None, until: int | None = None) -> list[tuple[ChunkRef, float]]:
        """Top ``k`` chunks by BM25, best first; chunks scoring 0 are left out."""
        terms = arabic.content_terms(query)
        if self._retriever is None or not terms:
            return []
        scores = np.asarray(self._retriever.get_scores(terms), dtype=np.float32)
        mask = scores > 0
        if sources:
            mask &= np.isin(self._sources, sources)
        if since is not None:
            mask &= self._days >= since
        if until is not None:
            mask &= (self._days <= until) & (self._days > 0)
        candidates = np.flatnonzero(mask)
        if candidates.size > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        order = candidates[np.argsort(-scores[candidates], kind="stable")]
        return [(self.refs[i], float(scores[i])) for i in order]

    def idf(self, terms: list[str]) -> dict[str, float]:
        """BM25 idf of each (``content_terms``) term over the indexed chunks; a
        term no chunk has gets the largest value."""
        n = len(self.refs)
        if self._retriever is None:
            return {t: 1.0 for t in terms}
        vocab, indptr = self._retriever.vocab_dict, self._retriever.scores["indptr"]
        out = {}
        for term in terms:
            i = vocab.get(term)
            df = 0 if i is None else int(indptr[i + 1] - indptr[i])
            out[term] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
        return out

    def save(self, folder: Path) -> None:
        """Write atomically: a reader never sees half an index."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=folder.parent))
        try:
            if self._retriever is not None:
                self._retriever.save(str(tmp / "bm25s"))
            meta = {"analyser": ANALYSER, "revision": self.revision,
                    "refs": [[r.id, r.article_id, r.source, r.published_day] for r in self.refs]}
            (tmp / "lexical.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            old = folder.with_name(folder.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if folder.exists():
                os.replace(folder, old)
            os.replace(tmp, folder)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, revision: str) -> "LexicalIndex | None":
        """The saved index if it matches ``revision`` and our analyser, else None."""
        meta_path = Path(folder) / "lexical.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("analyser") != ANALYSER or meta.get("revision") != revision:
            return None
        refs = [ChunkRef(*row) for row in meta["refs"]]
        retriever = None
        if refs:
            retriever = _bm25s().BM25.load(str(Path(folder) / "bm25s"))
        return cls(refs, revision, retriever)
