"""Peers on the same corpus, same machine, same run.

* ``llamaindex``: LlamaIndex's default pipeline: ``SentenceSplitter()`` (1024
  cl100k tokens, overlap 200), ``VectorStoreIndex`` on a Chroma collection,
  the default retriever (top 2), the same e5 model through
  ``HuggingFaceEmbedding`` with its ``query: ``/``passage: `` prompts. It
  gets the raw JSONL text (no cleaning) with the title as metadata, as a
  user of the default pipeline would.
* ``bm25s``: bm25s with its defaults (``bm25s.tokenize``: lower-case,
  ``\\w\\w+`` tokens, English stop words, no stemmer), top 2, over the same
  1024-token chunks; ``bm25s-stem`` adds PyStemmer's Arabic stemmer.

Neither composes an answer, so each is scored on the text it hands back:
recall = a gold answer occurs in the concatenated retrieved text, and that
text's length in words.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from .data import contains_gold, word_count
from .latency import latency_summary
from .speed import folder_bytes

logging.getLogger("bm25s").setLevel(logging.WARNING)


def documents(rows: list[dict]):
    from llama_index.core import Document

    return [Document(text=r["text"], id_=r["id"], metadata={"title": r.get("title") or ""}) for r in rows]


def embed_model(model_folder: Path):
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(model_name=str(model_folder), query_instruction="query: ",
                                text_instruction="passage: ", device="cpu")


def llama_index(rows: list[dict], model_folder: Path, folder: Path) -> tuple[object, dict]:
    """The default VectorStoreIndex over ``rows`` in a Chroma collection under
    ``folder`` (reused if built), and how long building took."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.core import Settings as LlamaSettings
    from llama_index.vector_stores.chroma import ChromaVectorStore

    model = embed_model(model_folder)
    LlamaSettings.embed_model = model
    LlamaSettings.llm = None
    client = chromadb.PersistentClient(path=str(folder / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("llamaindex")
    store = ChromaVectorStore(chroma_collection=collection)
    report_path = folder / "build.json"
    if report_path.exists() and collection.count() > 0:
        return VectorStoreIndex.from_vector_store(store, embed_model=model), json.loads(report_path.read_text())
    started = time.perf_counter()
    index = VectorStoreIndex.from_documents(documents(rows), storage_context=StorageContext.from_defaults(
        vector_store=store), embed_model=model)
    seconds = time.perf_counter() - started
    report = {"seconds": round(seconds, 2), "articles": len(rows), "chunks": collection.count(),
              "articles_per_s": round(len(rows) / seconds, 3), "chunks_per_s": round(collection.count() / seconds, 3),
              "store_mb": round(folder_bytes(folder / "chroma") / 2**20, 2)}
    report_path.write_text(json.dumps(report, indent=2) + "\n")
    return index, report


def chunks(rows: list[dict]) -> list[str]:
    """The default SentenceSplitter's chunks, as plain text (no metadata)."""
    from llama_index.core.node_parser import SentenceSplitter

    return [n.get_content() for n in SentenceSplitter().get_nodes_from_documents(documents(rows))]


def score(question: dict, texts: list[str], seconds: float) -> dict:
    joined = "\n".join(texts)
    return {"id": question["id"], "recall": contains_gold(joined, question["answers"]),
            "words": word_count(joined), "seconds": seconds}


def run_llama(index, questions: list[dict]) -> list[dict]:
    retriever = index.as_retriever()  # default similarity_top_k=2
    retriever.retrieve(questions[0]["question"])
    out = []
    for q in questions:
        started = time.perf_counter()
        nodes = retriever.retrieve(q["question"])
        out.append(score(q, [n.node.get_content() for n in nodes], time.perf_counter() - started))
    return out


def bm25_index(texts: list[str], stem: bool):
    import bm25s

    stemmer = _stemmer() if stem else None
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stemmer=stemmer, show_progress=False), show_progress=False)
    return retriever, stemmer


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("arabic").stemWords


def run_bm25(texts: list[str], questions: list[dict], stem: bool) -> list[dict]:
    import bm25s

    retriever, stemmer = bm25_index(texts, stem)
    out = []
    for q in questions:
        started = time.perf_counter()
        tokens = bm25s.tokenize([q["question"]], stemmer=stemmer, return_ids=False, show_progress=False)
        ids, _ = retriever.retrieve(tokens, k=min(2, len(texts)), show_progress=False)
        found = [texts[i] for i in ids[0]]
        out.append(score(q, found, time.perf_counter() - started))
    return out


def summarise(records: list[dict]) -> dict:
    n = len(records) or 1
    words = sorted(r["words"] for r in records)
    return {"questions": len(records), "recall": sum(r["recall"] for r in records) / n,
            "median_words": words[len(words) // 2] if words else None,
            "mean_words": sum(words) / n, **latency_summary([r["seconds"] for r in records])}
