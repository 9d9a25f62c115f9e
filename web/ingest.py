"""The ingest tab's handlers: trading the admin token for an upload pass,
then ingesting the uploaded files with a row per article as they go in.
The uploads are deleted once ingested."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import gradio as gr

from index.settings import Settings
from qa.api import QA

from .auth import authorized
from .escape import esc
from .uploads import discard, shown_path

STATUS_AR = {"added": "أضيف", "updated": "حُدّث", "unchanged": "لم يتغير", "failed": "فشل", "deleted": "حُذف"}
WARNED = "تنبيه"
INGEST_HEADERS = ["الملف", "العنوان", "الحالة", "المقاطع / السبب"]
DISABLED = "الكتابة معطلة: لم يُضبط رمز المشرف (QA_ADMIN_TOKEN)."
WRONG_TOKEN = "رمز المشرف غير صحيح."
# Runs in the browser before the Python handler: the token buys the upload
# pass cookie (HttpOnly) that Gradio's upload route asks for.
GET_UPLOAD_PASS = """async (token) => {
  try {
    await fetch("api/admin/session", {method: "POST", credentials: "same-origin",
                                      headers: {"Authorization": "Bearer " + (token || "")}});
  } catch (e) { console.error(e); }
  return token;
}"""


def event_row(event: dict, roots: list[str]) -> list:
    status = event.get("status", "")
    detail = event.get("error") if status == "failed" else event.get("chunks", "")
    return [shown_path(event.get("path") or event.get("id"), roots), event.get("title") or "",
            STATUS_AR.get(status, status), "" if detail is None else str(detail)]


def render_ingest_rows(rows: list[list]) -> str:
    """The per-file ingest result as an escaped table (names and titles come from uploads)."""
    if not rows:
        return ""
    head = "".join(f"<th>{esc(h)}</th>" for h in INGEST_HEADERS)
    body = "".join("<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return (f'<div class="qa-corpus qa-ingest" dir="rtl"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def make_unlock(settings: Settings):
    """The token checked; the file box and the ingest button opened for it."""

    def unlock(token):
        if not settings.admin_token:
            return DISABLED, gr.File(interactive=False), gr.Button(interactive=False)
        if not authorized(token, settings):
            return WRONG_TOKEN, gr.File(interactive=False), gr.Button(interactive=False)
        return ("الرمز صحيح: اختر الملفات ثم اضغط «أدخل».", gr.File(interactive=True),
                gr.Button(interactive=True))

    return unlock


def make_ingest(qa: QA, settings: Settings):
    def ingest(files, token, progress=gr.Progress()):
        paths = [getattr(f, "name", f) for f in (files or [])]
        try:
            yield from _ingest(qa, settings, paths, token, progress)
        finally:
            discard(paths)

    return ingest


def _ingest(qa, settings, paths, token, progress):
    if not settings.admin_token:
        yield DISABLED, ""
        return
    if not authorized(token, settings):
        yield WRONG_TOKEN, ""
        return
    if not paths:
        yield "اختر ملفاً واحداً على الأقل.", ""
        return
    roots = sorted({str(Path(p).parent) for p in paths})
    events: queue.Queue = queue.Queue()
    result: dict = {}

    def work():
        try:
            result["summary"] = qa.ingest(paths, on_article=events.put, lock_timeout=5)
        except Exception as exc:  # shown to the admin as one line
            result["error"] = str(exc) or type(exc).__name__
        finally:
            events.put(None)

    threading.Thread(target=work, daemon=True).start()
    rows: list[list] = []
    progress(0, desc="جارٍ الإدخال…")
    while (event := events.get()) is not None:
        rows.append(event_row(event, roots))
        progress(None, desc=f"{len(rows)} مقالة")
        yield f"جارٍ الإدخال… {len(rows)} مقالة", render_ingest_rows(rows)
    if "error" in result:
        yield f"تعذر الإدخال: {esc(result['error'])}", render_ingest_rows(rows)
        return
    s = result["summary"]
    # stored, but with something the uploader should know (replaced bytes, an unreadable date)
    warned = s.get("warnings", [])
    rows += [[shown_path(w["path"], roots), "", WARNED, w["warning"]] for w in warned]
    notes = f"، تنبيهات {len(warned)}" if warned else ""
    yield (f"أضيف {s['added']}، حُدّث {s['updated']}، لم يتغير {s['unchanged']}، فشل {len(s['failed'])}{notes}؛ "
           f"{s['chunks']} مقطعاً مكتوباً."), render_ingest_rows(rows)
