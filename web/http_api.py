"""The plain JSON routes beside the page:

    POST /api/ask            {"question", "history", "sources", "since", "until"} → the answer JSON
    GET  /api/health         {"status": "ok", "articles": N}
    POST /api/ingest         multipart ``files``; ``Authorization: Bearer $QA_ADMIN_TOKEN``
    POST /api/admin/session  the same header → the upload pass cookie the ingest tab needs

Every error is ``{"error": "<Arabic> (<English>)"}`` with a 4xx status (503
when the store cannot be reached); another method gets 405 with ``Allow``.
"""

from __future__ import annotations

import functools
import json
import os

import anyio
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from index.settings import Settings
from qa.api import QA, QuestionError, StoreError

from .auth import UPLOAD_COOKIE, UPLOAD_PASS_S, authorized, bearer, upload_pass
from .uploads import save_uploads, shown_path

NOT_AN_OBJECT = "الطلب يجب أن يكون كائن JSON فيه «question» (the body must be a JSON object with a 'question')"
TOO_DEEP = "الطلب متداخل أكثر مما يُقبل (the JSON is nested too deeply)"
ROUTES = {"/api/ask": ["POST"], "/api/health": ["GET", "HEAD"], "/api/ingest": ["POST"],
          "/api/admin/session": ["POST"]}
OTHER_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def ask_arguments(body) -> dict:
    """The body of ``POST /api/ask`` as ``QA.ask`` keywords; the values are
    checked by QA itself (qa/inputs.py), whose ValueErrors become 400s."""
    if not isinstance(body, dict):
        raise ValueError(NOT_AN_OBJECT)
    return {key: body.get(key) for key in ("question", "history", "sources", "since", "until")}


def add_routes(server: FastAPI, qa: QA, settings: Settings) -> None:
    # Answering is CPU-bound: more threads than cores only fight over the GIL,
    # and an ingest among twenty of them waited 40 s for its turn.
    ask_slots = anyio.CapacityLimiter(settings.ask_workers or os.cpu_count() or 2)

    @server.get("/api/health")
    async def health():
        report = await run_in_threadpool(qa.health)
        return report if report["status"] == "ok" else JSONResponse(report, status_code=503)

    @server.post("/api/ask")
    async def ask(request: Request):
        try:
            body = json.loads(await request.body())
        except RecursionError:
            return error(400, TOO_DEEP)
        except ValueError:
            return error(400, NOT_AN_OBJECT)
        try:
            arguments = ask_arguments(body)
            question = arguments.pop("question")
            answer = await anyio.to_thread.run_sync(functools.partial(qa.ask, question, **arguments),
                                                    limiter=ask_slots)
        except QuestionError as exc:
            return error(400, str(exc))
        except StoreError as exc:
            return error(503, str(exc))
        except RecursionError:
            return error(400, TOO_DEEP)
        except (ValueError, TypeError, AttributeError) as exc:
            return error(400, str(exc))
        return answer.to_dict()

    def refused_writing() -> JSONResponse:
        if settings.admin_token:
            return error(403, "الكتابة تحتاج رمز المشرف (writing needs the admin token: "
                              "Authorization: Bearer <QA_ADMIN_TOKEN>)")
        return error(403, "الكتابة معطلة: لم يُضبط رمز المشرف (writing is disabled: no admin token is configured)")

    @server.post("/api/ingest")
    async def ingest(request: Request):
        if not authorized(bearer(request.headers.get("authorization")), settings):
            return refused_writing()
        async with save_uploads(request, settings) as (paths, refused):
            if not paths and not refused:
                return error(400, "أرسل الملفات في الحقل «files» بصيغة multipart/form-data "
                                  "(send the files as multipart/form-data field 'files')")
            summary = {"added": 0, "updated": 0, "unchanged": 0, "deleted": 0, "chunks": 0, "failed": []}
            if paths:
                try:
                    summary = await run_in_threadpool(qa.ingest, paths, lock_timeout=5)
                except (StoreError, RuntimeError, OSError) as exc:
                    busy = "another ingest" in str(exc)
                    return error(409 if busy else 503, ("يجري إدخال آخر الآن؛ أعد المحاولة بعد انتهائه" if busy
                                                        else "تعذر الإدخال") + f" ({exc})")
            for failure in summary["failed"]:
                failure["path"] = shown_path(failure["path"], [str(p.parent) for p in paths])
            summary["failed"] = refused + summary["failed"]
            return summary

    @server.post("/api/admin/session")
    async def admin_session(request: Request):
        if not authorized(bearer(request.headers.get("authorization")), settings):
            return refused_writing()
        response = JSONResponse({"status": "ok", "expires_in": UPLOAD_PASS_S})
        https = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
        response.headers.append("set-cookie", pass_cookie(upload_pass(settings), https))
        return response

    for path, allowed in ROUTES.items():
        others = [m for m in OTHER_METHODS if m not in allowed]
        server.add_api_route(path, _not_allowed(allowed), methods=others, include_in_schema=False)


def pass_cookie(value: str, https: bool) -> str:
    """The upload pass as a ``Set-Cookie`` value. In a Space the page sits in
    a cross-site iframe: only a partitioned SameSite=None cookie reaches the
    upload route there (https only). Written by hand: Starlette sets
    ``Partitioned`` only on Python 3.14."""
    attributes = [f"{UPLOAD_COOKIE}={value}", f"Max-Age={UPLOAD_PASS_S}", "Path=/", "HttpOnly"]
    attributes += ["Secure", "SameSite=None", "Partitioned"] if https else ["SameSite=Strict"]
    return "; ".join(attributes)


def _not_allowed(allowed: list[str]):
    async def not_allowed():
        return error(405, f"الطريقة غير مسموحة؛ المسموح: {', '.join(allowed)} "
                          f"(method not allowed; use {', '.join(allowed)})", headers={"Allow": ", ".join(allowed)})

    return not_allowed
