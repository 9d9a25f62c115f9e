"""What a request may carry, checked before any route reads it.

- Bodies are bounded: uploads (``/api/ingest``, Gradio's ``/gradio_api/upload``)
  by ``QA_MAX_UPLOAD_MB``, everything else by ``QA_MAX_REQUEST_KB``. A declared
  ``Content-Length`` over the limit is refused at once, unread; a body sent
  without one is counted as it arrives and refused when it passes the limit.
- Gradio's upload route, which any visitor could otherwise use to keep files
  on the server, needs the admin's upload pass (see ``web.auth``) or token; with
  no admin token configured it is closed.

Every refusal is JSON ``{"error": "<Arabic> (<English>)"}`` with a 4xx status.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from index.settings import Settings

from .auth import UPLOAD_COOKIE, authorized, bearer, valid_pass

GRADIO_UPLOAD = "/gradio_api/upload"
UPLOAD_ROUTES = {"/api/ingest", GRADIO_UPLOAD}
BODYLESS = {"GET", "HEAD", "OPTIONS"}
KB, MB = 1024, 1024 * 1024


class BodyTooLarge(HTTPException):
    """Raised while a body without a declared length is read past its limit."""

    def __init__(self, message: str):
        super().__init__(status_code=413, detail=message)


def route_of(path: str) -> str:
    """The path as routing sees it for our checks: slashes collapsed, no trailing one, lower case."""
    return re.sub("/+", "/", path).rstrip("/").lower() or "/"


def too_large(limit: int, setting: str) -> str:
    shown = f"{limit // MB} MB" if limit >= MB else f"{limit // KB} KB"
    return f"الطلب أكبر من الحد المسموح ({shown}) (the request body is over the {shown} limit, {setting})"


def upload_refusal(connection: HTTPConnection, settings: Settings) -> str | None:
    """Why an upload to Gradio is refused, or None when it may go ahead."""
    if not settings.admin_token:
        return ("رفع الملفات معطل: لم يُضبط رمز المشرف QA_ADMIN_TOKEN "
                "(uploads are disabled: no admin token is configured)")
    if valid_pass(connection.cookies.get(UPLOAD_COOKIE), settings):
        return None
    if authorized(bearer(connection.headers.get("authorization")), settings):
        return None
    return ("رفع الملفات يحتاج رمز المشرف: أدخله في تبويب «إضافة مقالات» أولاً "
            "(uploads need the admin token: enter it in the ingest tab first, or send Authorization: Bearer <token>)")


class RequestLimits:
    """ASGI middleware applying the limits above to every HTTP request."""

    def __init__(self, app, settings: Settings):
        self.app = app
        self.settings = settings

    def limit_for(self, route: str) -> tuple[int, str]:
        if route in UPLOAD_ROUTES:
            return int(self.settings.max_upload_mb * MB), "QA_MAX_UPLOAD_MB"
        return int(self.settings.max_request_kb * KB), "QA_MAX_REQUEST_KB"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in BODYLESS:
            return await self.app(scope, receive, send)
        route = route_of(scope["path"])
        connection = HTTPConnection(scope)
        if route == GRADIO_UPLOAD and (reason := upload_refusal(connection, self.settings)):
            return await JSONResponse({"error": reason}, status_code=403)(scope, receive, send)
        limit, setting = self.limit_for(route)
        declared = connection.headers.get("content-length")
        if declared is not None and not declared.strip().isdigit():
            return await JSONResponse({"error": "طول الطلب غير صالح (invalid Content-Length)"},
                                      status_code=400)(scope, receive, send)
        if declared is not None and int(declared) > limit:
            return await JSONResponse({"error": too_large(limit, setting)}, status_code=413)(scope, receive, send)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(too_large(limit, setting))
            return message

        await self.app(scope, counted, send)
