"""The web app: its server (Gradio API ``ask``, JSON routes), the chat
handlers, the admin gate on ingest, escaping of article content, the example
questions and the first start. One server per module, on a free port, over a
copy of the example store with the real model. (Rendering details:
test_web_render.py; request limits and uploads: test_web_limits.py.)"""

from __future__ import annotations

import json
import re
import shutil
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from web import auth, chat as web_chat, corpus_view, escape, ingest as web_ingest, render, server
from web.layout import build_app
from index.settings import Settings
from qa.api import QA
from qa.examples import example_questions, questions_for

FIXTURES = Path(__file__).parent / "fixtures"
INJECTION = FIXTURES / "injection.jsonl"
TOKEN = "s3cret-admin-token"
QUESTION = "ماذا دار بين بشار الأسد وبوتين؟"
INJECTED_QUESTION = "كم يوماً يستمر مهرجان التمور في بريدة؟"
ANSWER_KEYS = {"question", "answer", "abstained", "citations", "short", "time_window", "composer", "note",
               "dropped"}
CITATION_KEYS = {"n", "article_id", "title", "source", "url", "published", "quote", "chunk_id", "score"}


def unsafe_markup(html: str) -> list[str]:
    """What in ``html`` could run or navigate: script/img/iframe/... tags, on*
    attributes, links other than http(s) and in-page anchors, and Markdown
    links (the chat renders Markdown)."""
    from html.parser import HTMLParser

    found = []

    class Check(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in {"script", "img", "iframe", "object", "embed", "svg", "style", "form", "input", "link"}:
                found.append(f"<{tag}>")
            for name, value in attrs:
                if name.startswith("on"):
                    found.append(f"{tag}[{name}]")
                if name in {"href", "src", "action"} and not re.match(r"(https?://|#qa-src-)", value or ""):
                    found.append(f"{tag}[{name}={value}]")

    Check(convert_charrefs=True).feed(html)
    if re.search(r"\]\(", html):
        found.append("markdown link")
    return found


def _qa(store: Path, model_cache, embedder, token: str = TOKEN) -> tuple[QA, Settings]:
    settings = Settings.from_env(environ={}, store=store, model_cache=model_cache, admin_token=token)
    qa = QA(settings)
    qa.store._embedder = embedder  # the session's model, loaded once
    return qa, settings


@pytest.fixture(scope="module")
def served(tmp_path_factory, sample_store, model_cache, embedder):
    store = tmp_path_factory.mktemp("app-store") / "store"
    shutil.copytree(sample_store, store)
    qa, settings = _qa(store, model_cache, embedder)
    with server.serve_in_background(qa, settings) as url:
        yield qa, url


@pytest.fixture(scope="module")
def url(served):
    return served[1]


@pytest.fixture(scope="module")
def qa(served):
    return served[0]


def _request(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read().decode("utf-8"))


def _post_json(url: str, data) -> tuple[int, dict]:
    return _request(url, "POST", json.dumps(data, ensure_ascii=False).encode("utf-8"),
                    {"Content-Type": "application/json"})


def _multipart(paths: list[Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for path in paths:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{path.name}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + path.read_bytes() + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _ingest(url: str, paths: list[Path], token: str | None) -> tuple[int, dict]:
    body, content_type = _multipart(paths)
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return _request(f"{url}/api/ingest", "POST", body, headers)


@pytest.fixture(scope="module")
def injected(url):
    """The injection article, ingested through the admin route."""
    return _ingest(url, [INJECTION], TOKEN)


def _check_answer(data: dict) -> None:
    assert set(data) == ANSWER_KEYS
    assert not data["abstained"]
    assert data["citations"], data
    assert "[1]" in data["answer"]
    assert set(data["citations"][0]) == CITATION_KEYS


# -- the server --------------------------------------------------------------------
def test_health(url, qa):
    status, data = _request(f"{url}/api/health")
    assert status == 200
    assert data == {"status": "ok", "articles": len(qa.articles())}
    assert data["articles"] >= 1


def test_page_is_rtl_and_loads_no_web_fonts(url):
    with urllib.request.urlopen(url + "/config", timeout=30) as response:
        config = json.loads(response.read().decode("utf-8"))
    assert 'setAttribute("dir", "rtl")' in config["head"]
    assert "direction: rtl" in config["css"] and "Noto Naskh Arabic" in config["css"]
    assert config["stylesheets"] == []
    with urllib.request.urlopen(url + "/theme.css", timeout=30) as response:
        theme_css = response.read().decode("utf-8")
    assert "--font: Noto Naskh Arabic" in theme_css
    assert not re.search(r"@import|@font-face|https?://(?!www.w3.org/2000/svg)", theme_css)


def test_json_ask_answers_with_citations(url):
    status, data = _post_json(f"{url}/api/ask", {"question": QUESTION})
    assert status == 200
    _check_answer(data)
    assert data["question"] == QUESTION
    assert data["citations"][0]["source"] == "طيف بوست"


def test_json_ask_takes_history_and_filters(url):
    first = _post_json(f"{url}/api/ask", {"question": QUESTION})[1]
    status, data = _post_json(f"{url}/api/ask", {
        "question": "ومتى ستجرى الانتخابات؟", "history": [[QUESTION, first["answer"]]],
        "sources": ["طيف بوست"], "since": None, "until": None})
    assert status == 200
    assert set(data) == ANSWER_KEYS
    status, data = _post_json(f"{url}/api/ask", {"question": QUESTION, "sources": ["مصدر لا وجود له"]})
    assert status == 200 and data["abstained"] and not data["citations"]


@pytest.mark.parametrize("body", [{"question": ""}, {"question": "   "}, {"question": "س" * 5000}, {}, [1]])
def test_json_ask_rejects_bad_questions(url, body):
    status, data = _post_json(f"{url}/api/ask", body)
    assert status == 400
    assert set(data) == {"error"} and data["error"]


def test_json_ask_rejects_bad_dates_and_json(url):
    status, data = _post_json(f"{url}/api/ask", {"question": QUESTION, "since": "yesterday"})
    assert status == 400 and "date" in data["error"]
    status, data = _request(f"{url}/api/ask", "POST", b"{not json", {"Content-Type": "application/json"})
    assert status == 400 and data["error"]


def test_gradio_client_ask(url):
    from gradio_client import Client

    client = Client(url, verbose=False)
    assert "/ask" in client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    data = client.predict(QUESTION, api_name="/ask")
    _check_answer(data)
    follow_up = client.predict("ومتى ستجرى الانتخابات؟", [[QUESTION, data["answer"]]], None, None, None,
                               api_name="/ask")
    assert set(follow_up) == ANSWER_KEYS


# -- ingest, behind the admin token ---------------------------------------------------
def test_ingest_refused_without_or_with_wrong_token(url, qa):
    before = len(qa.articles())
    status, data = _ingest(url, [INJECTION], None)
    assert status == 403 and data["error"]
    status, data = _ingest(url, [INJECTION], "not-the-token")
    assert status == 403
    assert TOKEN not in json.dumps(data)
    status, _ = _request(f"{url}/api/ingest", "POST", b"", {"Authorization": f"Basic {TOKEN}"})
    assert status == 403
    assert len(qa.articles()) == before


def test_ingest_accepted_with_token(injected, url, qa):
    status, summary = injected
    assert status == 200
    assert summary["added"] + summary["unchanged"] == 1 and summary["failed"] == []
    assert any(a["id"] == "app-injection-test" for a in qa.articles())
    status, again = _ingest(url, [INJECTION], TOKEN)
    assert status == 200 and again["unchanged"] == 1


def test_ingest_reports_failures_per_file(url, tmp_path):
    broken = tmp_path / "app_broken.jsonl"
    broken.write_text('{"title": "بلا نص"}\n', encoding="utf-8")
    status, summary = _ingest(url, [broken], TOKEN)
    assert status == 200
    assert summary["failed"] and summary["failed"][0]["path"].startswith("app_broken.jsonl")
    assert "/tmp" not in summary["failed"][0]["path"] and "qa-upload" not in summary["failed"][0]["path"]


def test_ingest_disabled_without_configured_token(store_copy, model_cache, embedder):
    from fastapi.testclient import TestClient

    qa, settings = _qa(store_copy, model_cache, embedder, token="")
    assert not auth.authorized("", settings) and not auth.authorized("anything", settings)
    client = TestClient(server.make_server(qa, settings))
    response = client.post("/api/ingest", headers={"Authorization": "Bearer "}, files={"files": ("a.txt", b"x")})
    assert response.status_code == 403 and "disabled" in response.json()["error"]
    steps = list(web_ingest.make_ingest(qa, settings)([str(INJECTION)], "", progress=lambda *a, **k: None))
    assert "معطلة" in steps[-1][0]
    blocks = build_app(qa, settings)
    notes = [c for c in blocks.blocks.values() if getattr(c, "elem_id", None) == "qa-ingest-note"]
    assert notes and "QA_ADMIN_TOKEN" in notes[0].value


def test_ingest_tab_handler_checks_token_and_reports_rows(store_copy, model_cache, embedder):
    qa, settings = _qa(store_copy, model_cache, embedder)
    ingest = web_ingest.make_ingest(qa, settings)
    quiet = dict(progress=lambda *a, **k: None)
    assert "غير صحيح" in list(ingest([str(INJECTION)], "wrong", **quiet))[-1][0]
    steps = list(ingest([str(INJECTION)], TOKEN, **quiet))
    message, table = steps[-1]
    assert "أضيف 1" in message
    assert "<td>injection.jsonl:1</td>" in table and "<td>أضيف</td>" in table
    assert escape.esc("<script>window.__pwned=1</script>") in table and not unsafe_markup(table)


def test_ingest_tab_lists_what_was_stored_with_a_warning(store_copy, model_cache, embedder, tmp_path):
    qa, settings = _qa(store_copy, model_cache, embedder)
    ingest = web_ingest.make_ingest(qa, settings)
    odd = tmp_path / "odd-byte.txt"
    odd.write_bytes("خبر تجريبي\n\nافتتح معرض الكتاب في المدينة ".encode() + b"\xff" + "صباح اليوم.\n".encode())
    message, table = list(ingest([str(odd)], TOKEN, progress=lambda *a, **k: None))[-1]
    assert "أضيف 1" in message and "تنبيهات 1" in message, message
    assert table.count("<td>odd-byte.txt</td>") == 2  # its added row and its warning row
    assert "<td>تنبيه</td>" in table and "not UTF-8" in table


def test_authorized_compares_in_constant_time(monkeypatch):
    import hmac

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    settings = Settings.from_env(environ={}, admin_token=TOKEN)
    assert auth.authorized(TOKEN, settings)
    assert not auth.authorized(TOKEN + "x", settings) and not auth.authorized(None, settings)
    assert calls


# -- escaping: article content is text, never markup ------------------------------------
def test_esc_and_safe_url():
    assert escape.esc('<b>"x"</b> & [a](javascript:alert(1)) $x$') == (
        "&#60;b&#62;&#34;x&#34;&#60;/b&#62; &#38; &#91;a&#93;&#40;javascript:alert&#40;1&#41;&#41; &#36;x&#36;")
    assert escape.safe_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil", "http://a b", None):
        assert escape.safe_url(bad) is None
    assert escape.link("javascript:alert(1)") == ""
    assert 'href="https://x.test/?a=1&amp;b=2"' in escape.link("https://x.test/?a=1&b=2")
    assert escape.safe_url('https://x.test/"onclick="x') is None


def test_injected_article_is_escaped_everywhere(injected, qa):
    assert injected[0] == 200
    answer = qa.ask(INJECTED_QUESTION)
    assert not answer.abstained and answer.citations[0].article_id == "app-injection-test"
    assert "<img" in answer.text or "<img" in answer.citations[0].quote or "<script" in answer.citations[0].title
    rendered = {
        "answer": render.render_answer(answer, turn=3),
        "sources": render.render_sources(answer, turn=3),
        "corpus": corpus_view.render_corpus(qa.articles()),
        "article": corpus_view.render_article(qa.article("app-injection-test")),
    }
    for name, html in rendered.items():
        assert not unsafe_markup(html), (name, unsafe_markup(html))
        assert not re.search(r'href="(?!https?://|#qa-src-)', html), name
    script, img = "<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=1">'
    assert escape.esc(script) in rendered["sources"] and escape.esc(script) in rendered["corpus"]
    assert escape.esc(img) in rendered["article"] and escape.esc("[x](javascript:alert(1))") in rendered["article"]
    assert escape.esc('<b onmouseover="window.__pwned=1">') in rendered["corpus"]
    assert "<mark id=" in rendered["sources"]


def test_chat_bubbles_escape_the_question_and_the_answer(injected, qa):
    chat, _ = web_chat.make_chat(qa)
    question = INJECTED_QUESTION + " <img src=x onerror=alert(1)>"
    *_, (box, history, turns, last) = chat(question, [], [], None, "", "")
    assert box == "" and last == question.strip()
    assert history[0] == {"role": "user", "content": escape.esc(question)}
    assert not unsafe_markup(history[0]["content"] + history[1]["content"])
    assert "&#60;img src=x onerror" in history[1]["content"]


# -- the chat: streaming, citations, abstention, follow-ups, retry, clear ---------------------
def test_chat_streams_then_shows_cited_sources(qa):
    chat, _ = web_chat.make_chat(qa)
    steps = list(chat(QUESTION, [], [], None, "", ""))
    assert len(steps) > 2, "the answer streams in"
    assert "qa-streaming" in steps[1][1][-1]["content"]
    box, history, turns, last = steps[-1]
    final = history[-1]["content"]
    assert 'class="qa-answer"' in final and 'class="qa-sources"' in final
    assert 'href="#qa-src-0-1"' in final and 'id="qa-src-0-1"' in final
    assert "طيف بوست" in final and "<mark id=" in final
    assert turns == [(QUESTION, turns[0][1])] and "[1]" in turns[0][1]


def test_chat_follow_up_uses_history_and_retry_replaces_last_turn(qa):
    chat, retry = web_chat.make_chat(qa)
    *_, (_, history, turns, last) = chat(QUESTION, [], [], None, "", "")
    seen = {}
    real = qa.ask_stream

    def spy(question, history=None, **kwargs):
        seen["history"] = history
        yield from real(question, history=history, **kwargs)

    qa.ask_stream = spy
    try:
        *_, (_, history, turns, last) = chat("ومتى ستجرى الانتخابات؟", history, turns, None, "", "")
    finally:
        del qa.ask_stream
    assert seen["history"] == [(QUESTION, turns[0][1])]
    assert len(turns) == 2 and len(history) == 4
    *_, (_, again, turns_again, last_again) = retry(history, turns, last, None, "", "")
    assert len(again) == 4 and len(turns_again) == 2 and last_again == "ومتى ستجرى الانتخابات؟"
    assert turns_again[0] == turns[0]


def test_chat_abstention_looks_different_and_suggests_articles(qa):
    chat, _ = web_chat.make_chat(qa)
    *_, (_, history, turns, _) = chat("ما عاصمة اليابان؟", [], [], None, "", "")
    final = history[-1]["content"]
    assert 'class="qa-abstain"' in final and "qa-answer" not in final
    assert 'class="qa-suggest"' in final and "بشار الأسد" in final


def test_chat_errors_are_shown_not_raised(qa):
    chat, _ = web_chat.make_chat(qa)
    *_, (_, history, turns, _) = chat(QUESTION, [], [], None, "not-a-date", "")
    assert 'class="qa-error"' in history[-1]["content"] and turns == []
    assert list(chat("   ", [], [], None, "", "")) == [("", [], [], "")]


# -- example questions ---------------------------------------------------------------
def test_example_questions_come_from_titles_and_are_stable(sample_store, model_cache, embedder):
    qa, _ = _qa(sample_store, model_cache, embedder)
    questions = example_questions(qa, n=4)
    assert questions == example_questions(qa, n=4)
    # one article gives four templates; only those the store answers are offered
    assert 3 <= len(questions) <= 4 and len(set(questions)) == len(questions)
    assert all(q.endswith("؟") for q in questions)
    assert "ماذا دار بين بشار الأسد وبوتين؟" in questions
    assert example_questions(qa, n=2) == questions[:2]
    assert all(not qa.ask(q).abstained for q in questions), questions
    offered_or_not = set(questions_for(qa.articles()[0]["title"]))
    assert set(questions) <= offered_or_not and len(offered_or_not) == 4


def test_questions_for_templates():
    assert questions_for("لقاء بين وزير الخارجية ونظيره التركي حول أزمة المياه") == [
        "ماذا دار بين وزير الخارجية ونظيره التركي؟", "ما الجديد بشأن أزمة المياه؟",
        "ما تفاصيل اللقاء بين وزير الخارجية ونظيره التركي؟"]
    assert questions_for("<script>x()</script> الحكومة تعلن الموازنة") == ["ما تفاصيل الحكومة تعلن الموازنة؟"]
    assert questions_for("") == [] and questions_for(None) == []


# -- start-up ---------------------------------------------------------------------------
def test_space_binds_all_interfaces(monkeypatch):
    monkeypatch.delenv("SPACE_ID", raising=False)
    local = server.resolve_settings(Settings.from_env(environ={}))
    assert (local.host, local.port) == ("127.0.0.1", 7860)
    monkeypatch.setenv("SPACE_ID", "someone/arabic-news-qa")
    space = server.resolve_settings(Settings.from_env(environ={}, port=9000))
    assert (space.host, space.port) == ("0.0.0.0", 7860)


def test_empty_store_is_built_from_samples(tmp_path, model_cache, embedder, monkeypatch, caplog):
    import logging

    from index import store as store_module

    monkeypatch.setattr(store_module.Store, "embedder", property(lambda self: embedder))
    caplog.set_level(logging.INFO)
    settings = Settings.from_env(environ={}, store=tmp_path / "fresh", model_cache=model_cache)
    qa = server.open_qa(settings)
    assert [a["source"] for a in qa.articles()] == ["طيف بوست"]
    seeded = [r for r in caplog.records if r.name == "index.seed"]
    assert seeded and all(r.levelno == logging.INFO for r in seeded), "a normal first start is info, not a warning"
    assert "has no articles yet" in seeded[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith(("index", "web"))]
    caplog.clear()
    assert server.open_qa(settings).articles() == qa.articles()
    assert not [r for r in caplog.records if r.name == "index.seed"], "a second start ingests nothing"


def test_upload_types_come_from_the_reader(store_copy, model_cache, embedder):
    from index.read import ACCEPTED_SUFFIXES, SUFFIX_KINDS

    assert set(ACCEPTED_SUFFIXES) == set(SUFFIX_KINDS) | {".zip"}
    qa, settings = _qa(store_copy, model_cache, embedder)
    boxes = [c for c in build_app(qa, settings).blocks.values() if getattr(c, "elem_id", None) == "qa-files"]
    assert boxes and boxes[0].file_types == list(ACCEPTED_SUFFIXES)


def test_app_py_is_the_thin_space_entry():
    source = (Path(__file__).resolve().parents[1] / "app.py").read_text(encoding="utf-8")
    assert "from web.server import main" in source and len(source.splitlines()) < 15


def test_qa_serve_runs_the_web_server(monkeypatch):
    from click.testing import CliRunner

    from qa import cli

    seen = {}
    monkeypatch.setattr(server, "main", lambda settings: seen.setdefault("settings", settings))
    result = CliRunner().invoke(cli.cli, ["serve", "--port", "8123", "--host", "127.0.0.1"])
    assert result.exit_code == 0, result.output
    assert seen["settings"].port == 8123 and seen["settings"].host == "127.0.0.1"
