"""Headless Chromium for tests, driven over the Chrome DevTools Protocol
(websocket-client), offline. Chromium comes from apt (`apt-get install -y
chromium`) when missing; nothing is downloaded by pytest itself.

    from tests.helpers_browser import browser, page   # the fixtures
    page.send("Page.navigate", url=...); page.js("document.title"); page.screenshot(path)
"""

from __future__ import annotations

import base64
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

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"]))
        print(f"\nscreenshot: {path}")
        return path

    def size(self, width: int, height: int) -> None:
        """The window a person has: a desktop (1280 wide) or a phone (420)."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=width < 600)

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
    page.size(1280, 900)
    yield page
    page.close()




def assert_local(urls: list[str]) -> None:
    outside = [u for u in urls if urlparse(u).scheme not in ("data", "blob")
               and urlparse(u).hostname not in LOCAL_HOSTS]
    assert not outside, f"requests left localhost: {outside}"


def shots_dir(tmp_path_factory) -> Path:
    """Where screenshots go: $APP_SCREENSHOTS, else a temporary folder."""
    shots = Path(os.environ.get("APP_SCREENSHOTS") or tmp_path_factory.mktemp("artifacts"))
    shots.mkdir(parents=True, exist_ok=True)
    return shots


# The newest finished answer (or abstention) in the chat.
NEWEST_ANSWER = ("Array.from(document.querySelectorAll('#qa-chat .qa-answer:not(.qa-streaming), "
                 "#qa-chat .qa-abstain')).pop()")


def ask_in_chat(page: Page, question: str, answers_before: int) -> str:
    """Type ``question`` into the chat, send it, wait for its finished answer
    (the ``answers_before + 1``-th) and return that answer's text."""
    page.js("document.querySelector('#qa-question textarea').focus()")
    page.send("Input.insertText", text=question)
    # the question box can be drawn before the send button (seen once in CI)
    page.wait_for("!!document.querySelector('#qa-send')", what="the send button")
    page.js("document.querySelector('#qa-send').click()")
    page.wait_for(f"document.querySelectorAll('#qa-chat .qa-answer:not(.qa-streaming), #qa-chat .qa-abstain')"
                  f".length > {answers_before}", timeout=90, what="the answer")
    return page.js(f"{NEWEST_ANSWER}.innerText")
