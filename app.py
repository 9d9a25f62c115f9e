"""The web chat over the stored articles; also the Hugging Face Space entry.

    python app.py                       # http://127.0.0.1:7860 (0.0.0.0:7860 on a Space)
    qa serve --store DIR --port 8000    # the same app

One server holds the Gradio page at ``/``, the Gradio API endpoint ``ask``
(for ``gradio_client``) and plain JSON routes:

    POST /api/ask     {"question", "history", "sources", "since", "until"} → the answer JSON
    GET  /api/health  {"status": "ok", "articles": N}
    POST /api/ingest  multipart ``files``; header ``Authorization: Bearer $QA_ADMIN_TOKEN``

Everything taken from articles (titles, text, urls) is shown as text: it is
escaped for HTML *and* Markdown before it reaches the page, and only http(s)
links are clickable. Fonts come from the machine; the page fetches nothing
from outside the server.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import html
import logging
import os
import queue
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

from index.settings import Settings, environment_defaults

environment_defaults()

import anyio  # noqa: E402
import gradio as gr  # noqa: E402  (after the offline switches)
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.concurrency import run_in_threadpool  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402

from qa.api import QA, QuestionError, StoreError  # noqa: E402
from qa.examples import example_questions  # noqa: E402

log = logging.getLogger("app")

ROOT = Path(__file__).resolve().parent
SAMPLES = ROOT / "samples"
UPLOAD_TYPES = [".txt", ".html", ".htm", ".jsonl", ".json", ".zip"]
N_EXAMPLES = 4
GRACEFUL_SHUTDOWN_S = 5  # open browser tabs hold event streams; don't wait on them forever
PASSAGE_CONTEXT = 240  # characters of passage shown either side of a quote

# System fonts only: no Google Fonts, nothing fetched from outside.
FONTS = ["Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Segoe UI", "Tahoma", "sans-serif"]
MONO_FONTS = ["ui-monospace", "Consolas", "monospace"]

CSS = """
html, body, gradio-app, .gradio-container { direction: rtl; }
body, .gradio-container, .gradio-container * { font-family: %s; }
.gradio-container code, .gradio-container pre { font-family: %s; direction: ltr; unicode-bidi: isolate; }
.gradio-container { max-width: 1100px !important; margin: 0 auto; }
.qa-answer { line-height: 1.9; }
.qa-cite { text-decoration: none; font-weight: 600; padding: 0 1px; }
.qa-sources { margin-top: .8em; border-top: 1px solid var(--border-color-primary); padding-top: .5em;
  font-size: .92em; }
.qa-sources-title, .qa-suggest-title { font-weight: 700; margin-bottom: .3em; }
.qa-sources ol, .qa-suggest ul { margin: 0; padding-inline-start: 1.4em; }
.qa-source { margin-bottom: .7em; }
.qa-meta { opacity: .75; }
.qa-passage { margin: .3em 0 0; padding: .4em .7em; border-inline-start: 3px solid var(--color-accent);
  background: var(--background-fill-secondary); border-radius: 4px; line-height: 1.8; }
.qa-passage mark { background: #fde68a; color: inherit; padding: 0 2px; border-radius: 2px; }
.qa-abstain { border: 1px dashed #d97706; background: #fffbeb; color: #78350f; border-radius: 8px;
  padding: .6em .8em; }
.dark .qa-abstain { background: #451a03; color: #fde68a; }
.qa-abstain-notice { font-weight: 700; margin-bottom: .3em; }
.qa-error { color: #b91c1c; font-weight: 600; }
.qa-streaming::after { content: " ▍"; opacity: .6; }
#qa-corpus table, .qa-corpus table, #qa-ingest-table table { width: 100%%; border-collapse: collapse; border: none !important; }
.qa-corpus th { font-weight: 700; border-bottom: 2px solid var(--border-color-primary); }
.qa-date { white-space: nowrap; }
.qa-corpus th, .qa-corpus td { text-align: right; padding: .35em .5em; border-inline: none; border-top: none;
  border-bottom: 1px solid var(--border-color-primary); vertical-align: top; }
.qa-corpus th, .qa-corpus td { border-left: none !important; border-right: none !important; }
.qa-corpus, .qa-article, .qa-answer, .qa-abstain, .qa-sources { direction: rtl; text-align: right; }
.qa-article h2 { margin: .2em 0 .4em; }
.qa-article p { line-height: 1.9; margin: 0 0 .8em; }
.qa-notice { padding: .6em .8em; border-radius: 8px; background: var(--background-fill-secondary); }
#qa-examples button { white-space: normal; text-align: right; }
""" % (", ".join(f'"{f}"' if " " in f else f for f in FONTS), ", ".join(MONO_FONTS))

# The page itself is right to left, not only the chat and input.
HEAD = """<meta name="color-scheme" content="light dark">
<script>
(function () {
  var root = document.documentElement;
  root.setAttribute("dir", "rtl");
  root.setAttribute("lang", "ar");
  document.addEventListener("DOMContentLoaded", function () { document.body.setAttribute("dir", "rtl"); });
})();
</script>"""


# -- settings and the store ------------------------------------------------------
def resolve_settings(settings: Settings | None = None) -> Settings:
    """``Settings.from_env``; on a Hugging Face Space (``SPACE_ID`` set) the
    app must listen on 0.0.0.0:7860."""
    settings = settings or Settings.from_env()
    if os.environ.get("SPACE_ID"):
        settings = settings.replace(host="0.0.0.0", port=7860)
    return settings


def open_qa(settings: Settings, samples: Path = SAMPLES) -> QA:
    """Open the store; a missing or empty one is built from ``samples``."""
    try:
        qa = QA(settings)
    except StoreError:
        if settings.uses_server:
            raise
        qa = QA(settings, create=True)
    if not qa.articles() and samples.exists():
        log.warning("the store at %s is empty: ingesting the bundled examples from %s", settings.store, samples)
        summary = qa.ingest([samples])
        log.warning("ingested: %s", {k: v for k, v in summary.items() if k != "failed"})
    return qa


def authorized(given: str | None, settings: Settings) -> bool:
    """The admin token, compared in constant time; no token configured: no writing."""
    expected = settings.admin_token or ""
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


# -- rendering: everything from articles goes through esc() ----------------------
_INERT = re.compile(r"[&<>\"'\\`*_{}\[\]()#+!|~$]")


def esc(value) -> str:
    """Text made inert for HTML and for Markdown: like ``html.escape``, and
    the Markdown punctuation as character references too (so ``[x](javascript:…)``
    is never a link and ``$`` never LaTeX)."""
    text = "" if value is None else str(value)
    return _INERT.sub(lambda m: f"&#{ord(m.group())};", text)


def esc_lines(value) -> str:
    """``esc`` with line breaks kept (a blank line counts as one break)."""
    return "<br>".join(esc(line) for line in str(value or "").splitlines() if line.strip())


def safe_url(url) -> str | None:
    """Only absolute http(s) urls become links."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not re.match(r"https?://[^\s<>\"']+$", url, flags=re.IGNORECASE):
        return None
    return url


def link(url, label: str = "رابط المقال") -> str:
    url = safe_url(url)
    if not url:
        return ""
    return (f'<a class="qa-link" href="{html.escape(url, quote=True)}" target="_blank" '
            f'rel="noopener noreferrer nofollow">{esc(label)}</a>')


def meta_line(*parts) -> str:
    return " · ".join(esc(p) for p in parts if p)


_MARKER = re.compile(r"\[(\d+)\]")


def render_text(text: str, cited: set[int] = frozenset(), turn: int = 0) -> str:
    """Answer text with each ``[n]`` linking to its source below."""
    out = []
    for i, piece in enumerate(_MARKER.split(text or "")):
        if i % 2 == 0:
            out.append(esc_lines(piece))
        elif int(piece) in cited:
            out.append(f'<a class="qa-cite" href="#qa-src-{turn}-{piece}">&#91;{piece}&#93;</a>')
        else:
            out.append(f"&#91;{piece}&#93;")
    return "".join(out)


def _trim(text: str, limit: int, keep_end: bool) -> str:
    if len(text) <= limit:
        return text
    cut = text[-limit:] if keep_end else text[:limit]
    space = cut.find(" ") if keep_end else cut.rfind(" ")
    if 0 < space < limit - 20 or (keep_end and space > 0):
        cut = cut[space + 1:] if keep_end else cut[:space]
    return "… " + cut if keep_end else cut + " …"


def render_passage(citation, passages) -> str:
    """The quoted sentence highlighted inside the passage it was found in."""
    passage = next((p for p in passages if p.chunk_id == citation.chunk_id), None)
    before = after = ""
    quote = citation.quote
    if passage is not None:
        text = passage.article.text
        start, end = citation.start, citation.end
        if not (passage.start <= start < end <= passage.end and text[start:end] == quote):
            found = text.find(quote, passage.start, passage.end) if quote else -1
            start, end = (found, found + len(quote)) if found >= 0 else (None, None)
        if start is not None:
            before = _trim(text[passage.start:start], PASSAGE_CONTEXT, keep_end=True)
            after = _trim(text[end:passage.end], PASSAGE_CONTEXT, keep_end=False)
    return (f'<blockquote class="qa-passage">{esc_lines(before)}<mark>{esc_lines(quote)}</mark>'
            f"{esc_lines(after)}</blockquote>")


def render_sources(answer, turn: int = 0) -> str:
    """The cited sources of one answer: title, source, date, quote in context, link."""
    if not answer.citations:
        return ""
    items = []
    for c in answer.citations:
        items.append(
            f'<li class="qa-source" id="qa-src-{turn}-{c.n}" value="{int(c.n)}">'
            f'<span class="qa-title"><b>{esc(c.title or c.article_id)}</b></span> '
            f'<span class="qa-meta">{meta_line(c.source, c.published)}</span> {link(c.url)}'
            f"{render_passage(c, answer.passages)}</li>")
    return f'<div class="qa-sources" dir="rtl"><div class="qa-sources-title">المصادر</div><ol>{"".join(items)}</ol></div>'


def render_suggestions(answer) -> str:
    if not answer.suggestions:
        return ""
    items = "".join(f'<li><b>{esc(s.title or s.article_id)}</b> <span class="qa-meta">'
                    f"{meta_line(s.source, s.published)}</span> {link(s.url)}</li>"
                    for s in answer.suggestions)
    return f'<div class="qa-suggest" dir="rtl"><div class="qa-suggest-title">أقرب المقالات</div><ul>{items}</ul></div>'


def render_answer(answer, turn: int = 0) -> str:
    """One answer as the chat shows it: cited text and its sources, or an
    abstention notice with the nearest articles."""
    if answer.abstained:
        return (f'<div class="qa-abstain" dir="rtl"><div class="qa-abstain-notice">⚠ لا جواب في المقالات المخزنة</div>'
                f"<div>{esc_lines(answer.text)}</div>{render_suggestions(answer)}</div>")
    cited = {c.n for c in answer.citations}
    return f'<div class="qa-answer" dir="rtl">{render_text(answer.text, cited, turn)}{render_sources(answer, turn)}</div>'


def render_partial(text: str) -> str:
    return f'<div class="qa-answer qa-streaming" dir="rtl">{esc_lines(text) or "…"}</div>'


def render_error(message: str) -> str:
    return f'<div class="qa-error" dir="rtl">{esc(message)}</div>'


def render_corpus(articles: list[dict]) -> str:
    if not articles:
        return '<div class="qa-notice" dir="rtl">لا مقالات في المخزن بعد.</div>'
    rows = "".join(f"<tr><td>{esc(a.get('title') or '—')}</td><td>{esc(a.get('source') or '—')}</td>"
                   f"<td class=\"qa-date\">{esc(a.get('published') or '—')}</td><td>{int(a.get('chunks') or 0)}</td></tr>"
                   for a in articles)
    return (f'<div class="qa-corpus" dir="rtl"><p>{len(articles)} مقالة</p><table><thead><tr><th>العنوان</th>'
            f"<th>المصدر</th><th>التاريخ</th><th>المقاطع</th></tr></thead><tbody>{rows}</tbody></table></div>")


def render_article(article) -> str:
    """A stored article as cleaned text, with its metadata."""
    if article is None:
        return ""
    paragraphs = "".join(f"<p>{esc_lines(p)}</p>" for p in re.split(r"\n\s*\n", article.text) if p.strip())
    return (f'<div class="qa-article" dir="rtl"><h2>{esc(article.title or article.id)}</h2>'
            f'<div class="qa-meta">{meta_line(article.source, article.author, article.published)} '
            f"{link(article.url)}</div><hr>{paragraphs}</div>")


def article_choices(articles: list[dict]) -> list[tuple[str, str]]:
    return [(f"{a.get('title') or a['id']} — {a.get('source') or '—'}", a["id"]) for a in articles]


# -- the chat ----------------------------------------------------------------------
def _filters(sources, since, until) -> dict:
    return {"sources": sources or None, "since": since, "until": until}  # checked by QA (qa/inputs.py)


def _truncate_to_last_question(history: list) -> list:
    """The chat without its last user message and what followed it."""
    for i in range(len(history) - 1, -1, -1):
        if _role(history[i]) == "user":
            return history[:i]
    return list(history)


def _role(message) -> str | None:
    return message.get("role") if isinstance(message, dict) else getattr(message, "role", None)


def make_chat(qa: QA):
    """The streaming chat handler. ``turns`` holds the plain (question,
    answer) pairs that go to ``qa.ask_stream`` as history."""

    def chat(question, history, turns, sources, since, until):
        question = (question or "").strip()
        history, turns = list(history or []), list(turns or [])
        if not question:
            yield "", list(history), list(turns), question
            return
        history += [{"role": "user", "content": esc_lines(question)},
                    {"role": "assistant", "content": render_partial("")}]
        yield "", list(history), list(turns), question
        answer = None
        try:
            for part in qa.ask_stream(question, history=list(turns), **_filters(sources, since, until)):
                if isinstance(part, str):
                    history[-1] = {"role": "assistant", "content": render_partial(part)}
                    yield "", list(history), list(turns), question
                else:
                    answer = part
        except (QuestionError, StoreError, ValueError) as exc:
            history[-1] = {"role": "assistant", "content": render_error(str(exc))}
            yield "", list(history), list(turns), question
            return
        except ImportError as exc:
            log.error("cannot answer: %s", exc)
            history[-1] = {"role": "assistant", "content": render_error("المجيب غير متاح (the answer composer "
                                                                      "is not installed)")}
            yield "", list(history), list(turns), question
            return
        if answer is None:
            answer = qa.ask(question, history=list(turns), **_filters(sources, since, until))
        history[-1] = {"role": "assistant", "content": render_answer(answer, turn=len(turns))}
        turns.append((question, answer.text))
        yield "", list(history), list(turns), question

    def retry(history, turns, last, sources, since, until):
        if not last:
            yield "", history, turns, last
            return
        turns = list(turns or [])
        if turns and turns[-1][0] == last:
            turns.pop()
        yield from chat(last, _truncate_to_last_question(history or []), turns, sources, since, until)

    return chat, retry


def make_ask_api(qa: QA):
    def ask(question: str, history: list | None = None, sources: list[str] | None = None,
            since: str | None = None, until: str | None = None) -> dict:
        """Answer a question from the stored articles. Returns the answer JSON:
        question, answer, abstained, citations."""
        try:
            return qa.ask(question, history=history or None, **_filters(sources, since, until)).to_dict()
        except (QuestionError, StoreError, ValueError) as exc:
            raise gr.Error(str(exc)) from exc

    return ask


# -- ingesting ---------------------------------------------------------------------
STATUS_AR = {"added": "أضيف", "updated": "حُدّث", "unchanged": "لم يتغير", "failed": "فشل", "deleted": "حُذف"}


def _shown_path(path: str | None, roots: list[str]) -> str:
    """An uploaded file's name without the server's temporary folder."""
    path = path or ""
    for root in sorted(roots, key=len, reverse=True):
        if path.startswith(root):
            return path[len(root):].lstrip("/\\")
    return Path(path).name if "!" not in path else path


def event_row(event: dict, roots: list[str]) -> list:
    status = event.get("status", "")
    detail = event.get("error") if status == "failed" else event.get("chunks", "")
    return [_shown_path(event.get("path") or event.get("id"), roots), event.get("title") or "",
            STATUS_AR.get(status, status), "" if detail is None else str(detail)]


INGEST_HEADERS = ["الملف", "العنوان", "الحالة", "المقاطع / السبب"]


def render_ingest_rows(rows: list[list]) -> str:
    """The per-file ingest result as an escaped table (names and titles come from uploads)."""
    if not rows:
        return ""
    head = "".join(f"<th>{esc(h)}</th>" for h in INGEST_HEADERS)
    body = "".join("<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<div class="qa-corpus" dir="rtl"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def make_ingest(qa: QA, settings: Settings):
    def ingest(files, token, progress=gr.Progress()):
        if not settings.admin_token:
            yield "الكتابة معطلة: لم يُضبط رمز المشرف (QA_ADMIN_TOKEN).", ""
            return
        if not authorized(token, settings):
            yield "رمز المشرف غير صحيح.", ""
            return
        paths = [getattr(f, "name", f) for f in (files or [])]
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
        yield (f"أضيف {s['added']}، حُدّث {s['updated']}، لم يتغير {s['unchanged']}، فشل {len(s['failed'])}؛ "
               f"{s['chunks']} مقطعاً مكتوباً."), render_ingest_rows(rows)

    return ingest


# -- the page ------------------------------------------------------------------------
def theme() -> gr.themes.ThemeClass:
    return gr.themes.Soft(font=FONTS, font_mono=MONO_FONTS)


def build_app(qa: QA, settings: Settings | None = None) -> gr.Blocks:
    """The Gradio page. Serve it with ``make_server`` (or ``launch(**launch_options(settings))``)."""
    settings = settings or qa.settings
    chat, retry = make_chat(qa)
    articles = qa.articles()
    examples = example_questions(qa, N_EXAMPLES)

    with gr.Blocks(title="أسئلة الأخبار العربية", fill_width=False) as blocks:
        gr.Markdown("## اسأل الأخبار\nأجوبة قصيرة من المقالات المخزنة، وكل جملة تذكر مصدرها.", rtl=True)
        with gr.Tab("المحادثة", id="chat"):
            with gr.Row():
                source_box = gr.Dropdown(choices=qa.sources(), multiselect=True, label="المصدر",
                                         info="كل المصادر إن تُرك فارغاً", scale=2)
                since_box = gr.Textbox(label="من تاريخ", placeholder="YYYY-MM-DD", rtl=True, scale=1)
                until_box = gr.Textbox(label="إلى تاريخ", placeholder="YYYY-MM-DD", rtl=True, scale=1)
            chatbot = gr.Chatbot(label="المحادثة", show_label=False, rtl=True, height=520, elem_id="qa-chat",
                                 feedback_options=None, buttons=["copy"], layout="bubble",
                                 placeholder="اسأل عن الأخبار المخزنة، أو اختر سؤالاً من الأمثلة.")
            with gr.Row(equal_height=True):
                question_box = gr.Textbox(label="سؤالك", placeholder="اكتب سؤالك هنا…", rtl=True, lines=1,
                                          max_lines=4, scale=6, elem_id="qa-question", autofocus=True)
                send = gr.Button("أرسل", variant="primary", scale=1, elem_id="qa-send")
            with gr.Row():
                retry_btn = gr.Button("أعد المحاولة", size="sm", elem_id="qa-retry")
                clear_btn = gr.Button("مسح المحادثة", size="sm", elem_id="qa-clear")
            gr.Markdown("**أسئلة للتجربة:**", rtl=True)
            with gr.Row(elem_id="qa-examples"):
                example_buttons = [gr.Button(examples[i] if i < len(examples) else "", size="sm",
                                             visible=i < len(examples)) for i in range(N_EXAMPLES)]
        with gr.Tab("المقالات", id="corpus"):
            corpus_html = gr.HTML(render_corpus(articles), elem_id="qa-corpus", js_on_load=None)
            article_pick = gr.Dropdown(choices=article_choices(articles), label="اعرض مقالاً", value=None)
            article_html = gr.HTML("", elem_id="qa-article", js_on_load=None)
            refresh = gr.Button("تحديث", size="sm")
        with gr.Tab("إضافة مقالات", id="ingest"):
            enabled = bool(settings.admin_token)
            gr.Markdown("ارفع ملفات `.txt` أو `.html` أو `.jsonl` أو `.json` أو `.zip`؛ تُضاف المقالات الجديدة وتُحدّث "
                        "المتغيرة." if enabled else "**الكتابة معطلة:** لم يُضبط رمز المشرف "
                        "(`QA_ADMIN_TOKEN`) على الخادم، فلا يمكن إضافة مقالات من هنا.", rtl=True,
                        elem_id="qa-ingest-note")
            files = gr.File(file_count="multiple", file_types=UPLOAD_TYPES, label="الملفات", interactive=enabled)
            token_box = gr.Textbox(label="رمز المشرف", type="password", interactive=enabled, rtl=True)
            ingest_btn = gr.Button("أدخل", variant="primary", interactive=enabled)
            ingest_status = gr.Markdown("", rtl=True)
            ingest_table = gr.HTML("", elem_id="qa-ingest-table", js_on_load=None)

        turns = gr.State([])
        last = gr.State("")
        filters = [source_box, since_box, until_box]
        chat_io = dict(outputs=[question_box, chatbot, turns, last], api_visibility="private")
        send.click(chat, [question_box, chatbot, turns, *filters], **chat_io)
        question_box.submit(chat, [question_box, chatbot, turns, *filters], **chat_io)
        for button in example_buttons:
            button.click(chat, [button, chatbot, turns, *filters], **chat_io)
        retry_btn.click(retry, [chatbot, turns, last, *filters], **chat_io)
        clear_btn.click(lambda: ("", [], [], ""), None, **chat_io, queue=False)
        chatbot.clear(lambda: ([], ""), None, [turns, last], api_visibility="private", queue=False)

        def show_article(article_id):
            if not article_id:
                return ""
            try:
                return render_article(qa.article(article_id))
            except KeyError as exc:
                return render_error(exc.args[0])

        article_pick.change(show_article, article_pick, article_html, api_visibility="private")

        def refreshed():
            rows = qa.articles()
            found = example_questions(qa, N_EXAMPLES)
            return (render_corpus(rows), gr.Dropdown(choices=article_choices(rows)),
                    gr.Dropdown(choices=qa.sources()),
                    *[gr.Button(found[i] if i < len(found) else "", visible=i < len(found))
                      for i in range(N_EXAMPLES)])

        refresh_outputs = [corpus_html, article_pick, source_box, *example_buttons]
        refresh.click(refreshed, None, refresh_outputs, api_visibility="private")
        ingest_btn.click(make_ingest(qa, settings), [files, token_box], [ingest_status, ingest_table],
                         api_visibility="private").then(refreshed, None, refresh_outputs, api_visibility="private")
        gr.api(make_ask_api(qa), api_name="ask")
    return blocks


def launch_options(settings: Settings) -> dict:
    """What the page needs wherever it is served: theme, CSS, head, no footer extras."""
    return dict(theme=theme(), css=CSS, head=HEAD, footer_links=["api"], ssr_mode=False, mcp_server=False,
                max_file_size=int(settings.max_file_mb * 1024 * 1024), show_error=True)


# -- the server ------------------------------------------------------------------------
def make_server(qa: QA, settings: Settings | None = None, blocks: gr.Blocks | None = None):
    """A FastAPI app: the JSON routes, with the Gradio page mounted at ``/``."""
    settings = settings or qa.settings
    server = FastAPI(title="Arabic news QA", docs_url=None, redoc_url=None, openapi_url=None)

    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    @server.get("/api/health")
    async def health():
        report = await run_in_threadpool(qa.health)
        return report if report["status"] == "ok" else JSONResponse(report, status_code=503)

    # Answering is CPU-bound: more threads than cores only fight over the GIL,
    # and an ingest among twenty of them waited 40 s for its turn.
    ask_slots = anyio.CapacityLimiter(settings.ask_workers or os.cpu_count() or 2)

    @server.post("/api/ask")
    async def ask(request: Request):
        try:
            body = await request.json()
        except ValueError:
            return error(400, "the body must be a JSON object with a 'question'")
        if not isinstance(body, dict):
            return error(400, "the body must be a JSON object with a 'question'")
        try:
            answer = await anyio.to_thread.run_sync(functools.partial(
                qa.ask, body.get("question"), history=body.get("history") or None,
                **_filters(body.get("sources"), body.get("since"), body.get("until"))), limiter=ask_slots)
        except QuestionError as exc:
            return error(400, str(exc))
        except StoreError as exc:
            return error(503, str(exc))
        except (ValueError, TypeError, AttributeError) as exc:
            return error(400, str(exc))
        return answer.to_dict()

    @server.post("/api/ingest")
    async def ingest(request: Request):
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not authorized(token.strip(), settings):
            return error(403, "writing needs the admin token: Authorization: Bearer <QA_ADMIN_TOKEN>"
                         if settings.admin_token else "writing is disabled: no admin token is configured")
        try:
            form = await request.form()
        except Exception:
            return error(400, "send the files as multipart/form-data field 'files'")
        uploads = [f for f in form.getlist("files") if hasattr(f, "filename")]
        if not uploads:
            return error(400, "send the files as multipart/form-data field 'files'")
        folder = Path(tempfile.mkdtemp(prefix="qa-upload-"))
        try:
            paths = []
            for i, upload in enumerate(uploads):
                name = Path(upload.filename or "").name
                if name in ("", ".", ".."):  # a name that is a path step, not a file
                    name = f"upload-{i}"
                target = folder / f"{i:03d}" / name
                target.parent.mkdir()
                target.write_bytes(await upload.read())
                paths.append(target)
            try:
                summary = await run_in_threadpool(qa.ingest, paths, lock_timeout=5)
            except (StoreError, RuntimeError, OSError) as exc:
                return error(409 if "another ingest" in str(exc) else 500, str(exc))
            for failure in summary["failed"]:
                failure["path"] = _shown_path(failure["path"], [str(p.parent) for p in paths])
            return summary
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    blocks = blocks or build_app(qa, settings)
    return gr.mount_gradio_app(server, blocks, path="/", server_name=settings.host, server_port=settings.port,
                               **launch_options(settings))


@contextlib.contextmanager
def serve_in_background(qa: QA, settings: Settings | None = None, port: int = 0):
    """Run the server in a thread (tests, notebooks); yields its base url.
    ``port=0`` picks a free one."""
    import uvicorn

    settings = settings or qa.settings
    config = uvicorn.Config(make_server(qa, settings), host=settings.host, port=port, log_level="warning",
                            lifespan="on", timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="qa-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app server did not start")
        time.sleep(0.05)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{settings.host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def main(settings: Settings | None = None) -> None:
    """Serve the app (``python app.py``, ``qa serve``)."""
    import uvicorn

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = resolve_settings(settings)
    qa = open_qa(settings)
    qa.warm_up()
    server = make_server(qa, settings)
    shown = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    print(f"serving {qa.store.location} on http://{shown}:{settings.port}", flush=True)
    uvicorn.run(server, host=settings.host, port=settings.port, log_level="warning",
                timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)


if __name__ == "__main__":
    main()
