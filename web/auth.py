"""The admin gate on writing: the token (``QA_ADMIN_TOKEN``) compared in
constant time, and the short-lived upload pass a browser gets for it.

The ingest tab's file box uploads to Gradio's ``/gradio_api/upload`` before
any handler runs, so the token cannot travel with the files. Instead the tab
first trades the token for a cookie (``POST /api/admin/session``) that holds
no secret: an expiry and its HMAC under the token. Without a token configured
nobody gets one, and uploads are refused outright.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from index.settings import Settings

UPLOAD_COOKIE = "qa_upload"
UPLOAD_PASS_S = 3600  # an admin's upload pass lasts an hour: long enough for one session of ingesting


def authorized(given: str | None, settings: Settings) -> bool:
    """The admin token, compared in constant time; no token configured: no writing."""
    expected = settings.admin_token or ""
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header."""
    scheme, _, token = (header or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _signature(settings: Settings, expiry: int) -> str:
    return hmac.new(settings.admin_token.encode("utf-8"), f"upload:{expiry}".encode(), hashlib.sha256).hexdigest()


def upload_pass(settings: Settings, now: float | None = None) -> str:
    """A cookie value that lets its holder upload until it expires."""
    expiry = int((time.time() if now is None else now) + UPLOAD_PASS_S)
    return f"{expiry}.{_signature(settings, expiry)}"


def valid_pass(value: str | None, settings: Settings, now: float | None = None) -> bool:
    if not settings.admin_token or not value or "." not in value:
        return False
    expiry, _, signature = value.partition(".")
    if not expiry.isdigit() or int(expiry) < (time.time() if now is None else now):
        return False
    return hmac.compare_digest(signature.encode(), _signature(settings, int(expiry)).encode())
