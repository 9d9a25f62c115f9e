"""First start: a store with no articles is filled from a folder of examples.

The web app (and a Hugging Face Space without persistent storage) calls this
on every start; it does nothing once the store holds an article.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .build import ingest
from .settings import Settings
from .store import Store

log = logging.getLogger(__name__)


def seed_if_empty(store: Store, settings: Settings, samples: Path) -> dict | None:
    """Ingest ``samples`` into ``store`` when it holds no article; the ingest
    summary, or None when there was nothing to do."""
    samples = Path(samples)
    if store.articles.count() or not samples.exists():
        return None
    log.info("the store at %s has no articles yet: ingesting the examples in %s", store.location, samples)
    summary = ingest([samples], settings, store=store)  # which logs its own summary
    for failure in summary["failed"]:
        log.warning("example not ingested: %s: %s", failure["path"], failure["error"])
    return summary
