"""Ingest timed side by side: our ``qa ingest`` path and LlamaIndex's default
``VectorStoreIndex.from_documents`` over the same articles, one after the
other in one run, each into a new folder.  A ratio from two different runs
on this shared 2-core machine says more about the load than about the code.

Model loading is left out of both timings; reading and cleaning are in ours
(LlamaIndex is handed the cleaned texts).
"""

from __future__ import annotations

import shutil
from pathlib import Path


def ingest_pair(paths: list[Path], rows: list[dict], settings, model_folder: Path, folder: Path) -> dict:
    """{"ours": timed_ingest's report, "llamaindex": the peer build's report,
    "ratio_articles_per_s": ours / LlamaIndex's}."""
    from . import peers
    from .speed import timed_ingest

    shutil.rmtree(folder, ignore_errors=True)
    (folder / "llama").mkdir(parents=True)
    ours = timed_ingest(paths, settings.replace(store=folder / "ours"))
    _, llama = peers.llama_index(rows, model_folder, folder / "llama")
    return {"ours": ours, "llamaindex": llama,
            "ratio_articles_per_s": round(ours["articles_per_s"] / llama["articles_per_s"], 2)}
