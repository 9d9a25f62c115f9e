"""Opening a store's Chroma: the embedded PersistentClient under the store
folder, or a Chroma server; and its collections, each failure one line that
says what to do."""

from __future__ import annotations

import os
from pathlib import Path

from .settings import Settings
from .store_errors import StoreError

STORE_FORMAT = 1


def location(settings: Settings) -> str:
    """Where the store is, as a user would write it."""
    s = settings
    if s.uses_server:
        return f"{'https' if s.chroma_ssl else 'http'}://{s.chroma_host}:{s.chroma_port}/{s.collection}"
    return str(s.store)


def connect(settings: Settings, create: bool):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    s = settings
    if s.uses_server:
        try:
            client = chromadb.HttpClient(host=s.chroma_host, port=s.chroma_port, ssl=s.chroma_ssl,
                                         settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:  # noqa: BLE001
            raise StoreError(f"cannot reach the Chroma server at {location(s)}: {exc}") from exc
        return client
    path = Path(s.store)
    if not create and not (path / "chroma").exists():
        raise StoreError(f"no store at {path}: build one with `qa ingest PATH --store {path}`")
    if create:
        try:
            (path / "chroma").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store at {path}: {exc.strerror}") from exc
    if create and not os.access(path, os.W_OK):
        raise StoreError(f"the store at {path} is read-only: cannot write to it")
    try:
        return chromadb.PersistentClient(path=str(path / "chroma"), settings=chroma_settings)
    except Exception as exc:  # noqa: BLE001
        if "readonly" in str(exc):  # Chroma writes to its database even to read it
            raise StoreError(f"the store at {path} is read-only: Chroma needs to write to open it; "
                             f"copy it somewhere writable") from exc
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc


def collection(client, name: str, create: bool, configuration, where: str):
    try:
        if create:
            return client.get_or_create_collection(name, configuration=configuration, embedding_function=None,
                                                   metadata={"format": STORE_FORMAT})
        return client.get_collection(name, embedding_function=None)
    except Exception as exc:  # noqa: BLE001
        if not create:
            raise StoreError(f"no collection {name!r} in {where}: build it with `qa ingest PATH`") from exc
        raise StoreError(f"cannot open collection {name!r} in {where}: {exc}") from exc


def sentence_collection(client, name: str, create: bool, where: str):
    """Sentence vectors embedded at ingest; None in a store built before
    them (answered by embedding live)."""
    if create:
        return collection(client, name, True, {"hnsw": {"space": "cosine"}}, where)
    try:
        return client.get_collection(name, embedding_function=None)
    except Exception:  # noqa: BLE001 - an older store: answered without them
        return None
