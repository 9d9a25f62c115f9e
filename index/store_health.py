"""Keeping a store current with other processes' writes, and probing it.

Chroma keeps an embedded store's vector index in memory, per process: a
process that does not notice another one's ingest returns deleted chunks,
misses new ones and, if it writes, corrupts the index.  ``Freshness`` notices
(the store's revision moves at every commit, its writing flag at every
ingest's start) and reopens the store.  ``health`` is a real probe, not a
flag.
"""

from __future__ import annotations

import logging
import threading
import time

from .store_errors import StoreError, server_errors

log = logging.getLogger(__name__)

RETIRE_AFTER_S = 60.0  # a reopened store's old Chroma system is kept this long for requests in flight
HEALTH_PROBE = 1000  # chunks the health check compares between the vector index and the records


class Freshness:
    """What this process last saw of the store's writes, and the reopening
    when another process has written since.

    Looking costs a Chroma request (an HTTP request with a server), so a
    look is trusted for ``settings.revision_check_s`` seconds: another
    process's ingest is seen at most that late, and a question asked within
    it asks Chroma nothing about revisions.  Writing always looks afresh
    (``force``)."""

    def __init__(self, store):
        self.store = store
        self.interval = max(0.0, float(getattr(store.settings, "revision_check_s", 0.0)))
        self._lock = threading.Lock()
        self._retired: list[tuple[float, object]] = []  # Chroma systems replaced by a reopen, and when
        self._looked: tuple[float, tuple[str, str]] | None = None  # when, and what was seen
        self.seen = self.current(force=True)

    def state(self) -> tuple[str, str]:
        """What changes whenever any process writes: the revision (each
        commit) and the writing flag (each ingest's start), read now."""
        meta = self.store._fresh_metadata()
        return str(meta.get("revision", "")), str(meta.get("writing", ""))

    def current(self, force: bool = False) -> tuple[str, str]:
        """The state as of at most ``interval`` seconds ago."""
        looked, now = self._looked, time.monotonic()
        if force or looked is None or now - looked[0] >= self.interval:
            looked = self._looked = (now, self.state())
        return looked[1]

    def last(self) -> tuple[str, str]:
        """The state of the last look, without looking again: what a
        question's later steps use, so each question looks at most once."""
        looked = self._looked
        return looked[1] if looked is not None else self.current()

    def wrote(self, state: tuple[str, str]) -> None:
        """This process changed the state itself: nothing to reopen for."""
        self.seen = state
        self._looked = (time.monotonic(), state)

    def refresh(self, force: bool = False) -> bool:
        """Reopen an embedded store that another process wrote to since this
        one last looked.  A Chroma server is always current."""
        state = self.current(force)
        if self.store.settings.uses_server or state == self.seen:
            return False
        with self._lock:
            if state == self.seen:
                return False
            self._reopen()
            self.seen = state  # read before reopening: a later write is seen next time
        log.info("the store at %s changed in another process: reopened it", self.store.location)
        return True

    def _reopen(self) -> None:
        from chromadb.api.shared_system_client import SharedSystemClient

        # Chroma shares one system per path in a process; a new one reads the
        # files afresh. A replaced one may still serve a request in flight:
        # it is stopped at a later reopen, once RETIRE_AFTER_S have passed.
        now = time.monotonic()
        for _retired_at, system in [r for r in self._retired if now - r[0] > RETIRE_AFTER_S]:
            system.stop()
        self._retired = [r for r in self._retired if now - r[0] <= RETIRE_AFTER_S]
        old = SharedSystemClient._identifier_to_system.pop(self.store.client._identifier, None)
        if old is not None:
            self._retired.append((now, old))
        self.store._open(create=False)


def health(store) -> dict:
    """The store answers, a stored chunk's own vector finds chunks that the
    store has, and BM25 loads for the current revision."""
    try:
        with server_errors(store.location):
            store.refresh(force=True)
            articles = store.articles.count()
            check_vector_index(store)
            store.lexical()
    except Exception as exc:  # noqa: BLE001 - reported, not raised: this is the health check
        log.warning("health check failed: %s", exc)
        return {"status": "error", "error": " ".join(f"{exc}".split()) or type(exc).__name__}
    return {"status": "ok", "articles": articles}


def check_vector_index(store) -> None:
    """The vector index (in memory) holds exactly the chunks the records
    (SQLite) hold: all of them in a small store, the nearest HEALTH_PROBE
    to a stored chunk in a large one."""
    chunks = store.chunks
    count = chunks.count()
    probe = chunks.get(limit=1, include=["embeddings"])
    if not probe["ids"]:
        return
    vector = [[float(x) for x in probe["embeddings"][0]]]
    if count <= HEALTH_PROBE:  # asking for more than there are returns every chunk the index has
        found = len(chunks.query(query_embeddings=vector, n_results=count + 1, include=[])["ids"][0])
        broken = found != count
    else:
        got = chunks.query(query_embeddings=vector, n_results=HEALTH_PROBE, include=["metadatas"])
        broken = any(m is None for m in got["metadatas"][0])
    if broken:
        raise StoreError(f"the vector index of {store.location} lists chunks the store does not have "
                         f"(or misses some): restart the app")
