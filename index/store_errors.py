"""Errors a store user can act on, each one line saying how."""

from __future__ import annotations

from contextlib import contextmanager


class StoreError(RuntimeError):
    """A problem with the store a user can act on; the message says how."""


@contextmanager
def server_errors(location: str):
    """A Chroma server that went away mid-session becomes one StoreError
    line; the same client works again once the server is back."""
    import httpx

    try:
        yield
    except httpx.TransportError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreError(f"lost the Chroma server at {location}: {reason}; "
                         f"check that it is running (chroma run), then ask again") from exc
