"""The web chat in a real browser: headless Chromium driven over the Chrome
DevTools Protocol (websocket-client), offline. Chromium comes from apt
(`apt-get install -y chromium`) when missing; nothing is downloaded by pytest
itself. The screenshot's path is printed (run with -s to see it)."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures"
QUESTION = "ماذا دار بين بشار الأسد وبوتين؟"
INJECTED_QUESTION = "كم يوماً يستمر مهرجان التمور في بريدة؟"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _find_chromium() -> str | None:
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


def _install_chromium() -> str:
    """apt-get install chromium (after apt-get update if the first try fails)."""
    if _find_chromium():
        return _find_chromium()
    if not shutil.which("apt-get"):
        pytest.skip("Chromium is not installed and apt-get is unavailable to install it")
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    if os.geteuid() != 0 and shutil.which("sudo"):
        install = ["sudo", "-n", *install]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        update = install[:install.index("install")] + ["update"]
        subprocess.run(update, env=env, capture_output=True)
        result = subprocess.run(install, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"could not install Chromium with apt-get: {result.stderr.strip()[-300:]}")
    return _find_chromium() or pytest.skip("apt-get installed chromium but no chromium binary was found")


class Page:
    """A minimal CDP client for one page target."""

    def __init__(self, ws_url: str):
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def send(self, method: str, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60, what: str = ""):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.25)
        raise AssertionError(f"timed out waiting for {what or expression}")

    def requests(self) -> list[str]:
        self.send("Runtime.evaluate", expression="1")  # drain pending events
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self):
        self.ws.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary = _install_chromium()
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--disable-default-apps", "--remote-allow-origins=*",
         "--remote-debugging-port=0", "--window-size=1280,1400", f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text().strip():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("Chromium did not start (no DevToolsActivePort)")
        time.sleep(0.1)
    port = int(port_file.read_text().split()[0])
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def page(browser):
    targets = json.load(urllib.request.urlopen(f"{browser}/json/list", timeout=10))
    target = next(t for t in targets if t.get("type") == "page")
    page = Page(target["webSocketDebuggerUrl"])
    page.send("Network.enable")
    page.send("Page.enable")
    page.send("Runtime.enable")
    page.send("Emulation.setDeviceMetricsOverride", width=1280, height=1400, deviceScaleFactor=1, mobile=False)
    yield page
    page.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, sample_store, embedder, model_cache):
    import app
    from index.settings import Settings
    from qa.api import QA

    store = tmp_path_factory.mktemp("browser-store") / "store"
    shutil.copytree(sample_store, store)
    settings = Settings.from_env(environ={}, store=store, model_cache=model_cache, admin_token="browser-secret")
    qa = QA(settings)
    qa.store._embedder = embedder
    qa.ingest([FIXTURES / "injection.jsonl"])
    with app.serve_in_background(qa, settings) as url:
        yield url


def _open(page: Page, url: str) -> None:
    page.send("Page.navigate", url=url)
    page.wait_for("!!document.querySelector('#qa-question textarea')", what="the question box")


def _ask(page: Page, question: str, answers_before: int) -> str:
    page.js("document.querySelector('#qa-question textarea').focus()")
    page.send("Input.insertText", text=question)
    page.js("document.querySelector('#qa-send').click()")
    page.wait_for(f"document.querySelectorAll('#qa-chat .qa-answer:not(.qa-streaming), #qa-chat .qa-abstain')"
                  f".length > {answers_before}", timeout=90, what="the answer")
    return page.js("Array.from(document.querySelectorAll('#qa-chat .qa-answer, #qa-chat .qa-abstain'))"
                   ".pop().innerText")


def _assert_local(urls: list[str]) -> None:
    outside = [u for u in urls if urlparse(u).scheme not in ("data", "blob")
               and urlparse(u).hostname not in LOCAL_HOSTS]
    assert not outside, f"requests left localhost: {outside}"


def test_chat_in_browser_is_rtl_cited_and_offline(page, server, tmp_path_factory):
    _open(page, server)
    text = _ask(page, QUESTION, 0)
    assert "[1]" in text
    sources = page.js("document.querySelectorAll('#qa-chat .qa-source').length")
    assert sources >= 1
    assert page.js("!!document.querySelector('#qa-chat .qa-source mark')"), "the quote is highlighted"
    assert page.js("getComputedStyle(document.body).direction") == "rtl"
    assert page.js("document.documentElement.dir") == "rtl"
    assert page.js("getComputedStyle(document.querySelector('#qa-question textarea')).direction") == "rtl"
    assert page.js("getComputedStyle(document.querySelector('#qa-chat .qa-answer')).direction") == "rtl"
    href = page.js("document.querySelector('#qa-chat a.qa-cite').getAttribute('href')")
    assert href.startswith("#qa-src-")
    assert page.js(f"!!document.getElementById({json.dumps(href[1:])})"), "the marker's source is on the page"
    font = page.js("getComputedStyle(document.querySelector('#qa-chat .qa-answer')).fontFamily")
    assert "Noto Naskh Arabic" in font

    shots = Path(os.environ.get("APP_SCREENSHOTS") or tmp_path_factory.mktemp("artifacts"))
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / "app-chat.png"
    shot.write_bytes(__import__("base64").b64decode(page.send("Page.captureScreenshot", format="png")["data"]))
    print(f"\nscreenshot: {shot}")
    _assert_local(page.requests())


def test_injected_article_does_nothing(page, server, tmp_path_factory):
    _open(page, server)
    text = _ask(page, INJECTED_QUESTION, 0)
    assert "<img" in text or "window.__pwned" in text, "the markup is shown as text"
    assert page.js("typeof window.__pwned") == "undefined"
    assert page.js("document.querySelectorAll('#qa-chat img[onerror], #qa-chat script').length") == 0
    assert page.js("Array.from(document.querySelectorAll('#qa-chat a'))"
                   ".filter(a => /^\\s*javascript:/i.test(a.getAttribute('href') || '')).length") == 0
    assert "<script>" in page.js("document.querySelector('#qa-chat .qa-source .qa-title').innerText")
    # the corpus tab lists it as text too
    page.js("Array.from(document.querySelectorAll('button[role=tab]')).find(b => b.innerText.includes('المقالات'))"
            ".click()")
    page.wait_for("!!document.querySelector('#qa-corpus table')", what="the corpus table")
    corpus = page.js("document.querySelector('#qa-corpus').innerText")
    assert "<img src=x onerror=" in corpus
    assert page.js("document.querySelectorAll('#qa-corpus img, #qa-corpus script').length") == 0
    time.sleep(0.5)
    assert page.js("typeof window.__pwned") == "undefined"
    shots = Path(os.environ.get("APP_SCREENSHOTS") or tmp_path_factory.mktemp("artifacts"))
    shot = shots / "app-corpus.png"
    shot.write_bytes(__import__("base64").b64decode(page.send("Page.captureScreenshot", format="png")["data"]))
    print(f"\nscreenshot: {shot}")
    _assert_local(page.requests())


def _tab(page: Page, label: str) -> None:
    page.js(f"Array.from(document.querySelectorAll('button[role=tab]')).find(b => b.innerText.includes({json.dumps(label)}))"
            ".click()")


def test_ingest_tab_uploads_with_the_admin_token(page, server, tmp_path):
    article = tmp_path / "app_upload.txt"
    article.write_text("اختبار الرفع\n\nأعلنت بلدية المدينة الاختبارية افتتاح حديقة عامة جديدة على ضفاف النهر "
                       "بمساحة عشرين ألف متر مربع. وقال رئيس البلدية إن الحديقة تضم ملاعب للأطفال ومسارات للمشي.\n",
                       encoding="utf-8")
    _open(page, server)
    _tab(page, "إضافة مقالات")
    page.wait_for("!!document.querySelector('input[type=file]')", what="the upload box")
    document = page.send("DOM.getDocument", depth=-1, pierce=True)["root"]["nodeId"]
    node = page.send("DOM.querySelector", nodeId=document, selector="input[type=file]")["nodeId"]
    page.send("DOM.setFileInputFiles", nodeId=node, files=[str(article)])
    page.wait_for("document.body.innerText.includes('app_upload.txt')", what="the uploaded file")
    page.js("document.querySelector('input[type=password]').focus()")
    page.send("Input.insertText", text="browser-secret")
    page.js("Array.from(document.querySelectorAll('button')).find(b => b.innerText.trim() == 'أدخل').click()")
    page.wait_for("document.body.innerText.includes('أضيف 1')", timeout=90, what="the ingest summary")
    page.wait_for("document.querySelector('#qa-ingest-table').innerText.includes('app_upload.txt')",
                  what="the per-file table")
    shot = Path(os.environ.get("APP_SCREENSHOTS") or tmp_path) / "app-ingest.png"
    shot.write_bytes(__import__("base64").b64decode(page.send("Page.captureScreenshot", format="png")["data"]))
    print(f"\nscreenshot: {shot}")
    table = page.js("document.querySelector('#qa-ingest-table').innerText")
    assert page.js("getComputedStyle(document.querySelector('#qa-ingest-table table')).direction") == "rtl"
    assert page.js("document.querySelector('#qa-ingest-table td').getBoundingClientRect().right") > 900
    assert "app_upload.txt" in table and "أضيف" in table
    assert "/tmp" not in table
    _assert_local(page.requests())
