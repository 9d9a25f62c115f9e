"""What the server refuses, and how: uploads only for the admin (Gradio's
upload route included), bounded request bodies refused before they are read,
JSON too deep, file names a file system cannot take, other HTTP methods.
Every refusal is a 4xx whose message is Arabic first, English after."""

from __future__ import annotations

import json
import re
import shutil
import socket
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

from index.settings import Settings
from qa.api import QA
from web import auth, server
from web.ingest import make_ingest
from web.uploads import safe_name

TOKEN = "limits-admin-token"
ARTICLE = ("خبر مرفوع للاختبار\n\nأعلنت بلدية المدينة افتتاح مكتبة عامة جديدة في وسط المدينة تضم آلاف الكتب. "
           "وقال رئيس البلدية إن المكتبة تفتح أبوابها كل يوم.\n")


def arabic_first(message: str) -> bool:
    """Arabic before any Latin letter, and an English version in brackets after."""
    first_letter = re.search(r"[^\W\d_]", message)
    return bool(first_letter and "\u0600" <= first_letter.group() <= "\u06ff" and re.search(r"\([^)]*[a-z]", message))


def _qa(store: Path, model_cache, embedder, **overrides) -> tuple[QA, Settings]:
    settings = Settings.from_env(environ={}, store=store, model_cache=model_cache, **overrides)
    qa = QA(settings)
    qa.store._embedder = embedder
    return qa, settings


@pytest.fixture(scope="module")
def live(tmp_path_factory, sample_store, model_cache, embedder):
    """A real server with the admin token and the default limits."""
    store = tmp_path_factory.mktemp("limits-store") / "store"
    shutil.copytree(sample_store, store)
    qa, settings = _qa(store, model_cache, embedder, admin_token=TOKEN)
    with server.serve_in_background(qa, settings) as url:
        yield qa, url


@pytest.fixture
def uploads_dir(tmp_path, monkeypatch):
    folder = tmp_path / "gradio-uploads"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    return folder


def _client(store_copy, model_cache, embedder, **overrides):
    from fastapi.testclient import TestClient

    qa, settings = _qa(store_copy, model_cache, embedder, **overrides)
    return qa, settings, TestClient(server.make_server(qa, settings))


def _raw(url: str, head: str, body: bytes = b"", chunks: list[bytes] | None = None) -> tuple[int, dict, str]:
    """Send a request by hand (to declare a length without sending it, or to
    send chunks); returns status, headers and body as soon as the server answers."""
    host, port = urlparse(url).hostname, urlparse(url).port
    with socket.create_connection((host, port), timeout=20) as sock:
        sock.sendall(head.encode("utf-8") + body)
        try:
            for chunk in chunks or ():
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            if chunks is not None:
                sock.sendall(b"0\r\n\r\n")
        except OSError:  # the server answered and closed while we were still sending
            pass
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            part = sock.recv(65536)
            if not part:
                break
            data += part
    head_bytes, _, rest = data.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, rest.decode("utf-8", "replace")


def _length(data: bytes) -> int:
    match = re.search(rb"(?i)content-length: (\d+)", data.split(b"\r\n\r\n", 1)[0])
    return int(match.group(1)) if match else 0


def _multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="'.encode()
                    + name.encode("utf-8") + b'"\r\nContent-Type: text/plain\r\n\r\n' + data + b"\r\n"
                    for name, data in files) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# -- 405 ------------------------------------------------------------------------------
def test_other_methods_get_405_with_allow(live):
    _, url = live
    import httpx

    for method, path, allow in (("GET", "/api/ask", "POST"), ("PUT", "/api/ask", "POST"),
                                ("GET", "/api/ingest", "POST"), ("POST", "/api/health", "GET, HEAD")):
        response = httpx.request(method, url + path, timeout=30)
        assert response.status_code == 405, (method, path, response.text)
        assert response.headers["allow"] == allow
        assert arabic_first(response.json()["error"])


# -- JSON bodies ---------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "[" * 1500 + "]" * 1500,
    '{"question": "ما الخبر؟", "history": ' + "[" * 1500 + "]" * 1500 + "}",
    '{"question": "ما الخبر؟", "history": ' + "[" * 300 + "]" * 300 + "}",
    '{"question": "ما الخبر؟", "history": [{"role": "user", "content": {"a": [1]}}]}',
    '{"question": "ما الخبر؟", "sources": {"a": 1}}',
    '{"question": "ما الخبر؟", "since": 2021}',
    '{"question": 42}',
    "{not json",
])
def test_bad_ask_bodies_are_400_not_500(live, body):
    import httpx

    response = httpx.post(live[1] + "/api/ask", content=body.encode(), timeout=60,
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert arabic_first(response.json()["error"]), response.json()


def test_errors_of_the_api_are_arabic_first(live):
    import httpx

    url = live[1]
    for body in ({}, {"question": ""}, {"question": "ما الخبر؟", "since": "yesterday"}):
        response = httpx.post(url + "/api/ask", json=body, timeout=60)
        assert response.status_code == 400 and arabic_first(response.json()["error"]), response.text
    refused = httpx.post(url + "/api/ingest", files={"files": ("a.txt", b"x")}, timeout=30)
    assert refused.status_code == 403 and arabic_first(refused.json()["error"])


# -- request size ---------------------------------------------------------------------------
def test_a_declared_30_mb_question_is_refused_unread(live):
    url = live[1]
    head = (f"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {30 * 1024 * 1024}\r\n\r\n")
    status, _, body = _raw(url, head, b'{"question": "')  # the rest never comes: answered anyway
    assert status == 413 and arabic_first(json.loads(body)["error"]) and "QA_MAX_REQUEST_KB" in body


def test_a_200_mb_upload_is_refused_before_it_is_read(live):
    url = live[1]
    for path, auth_header in (("/api/ingest", f"Authorization: Bearer {TOKEN}\r\n"),
                              ("/gradio_api/upload", f"Authorization: Bearer {TOKEN}\r\n")):
        head = (f"POST {path} HTTP/1.1\r\nHost: x\r\n{auth_header}Content-Type: multipart/form-data; boundary=b\r\n"
                f"Content-Length: {200 * 1024 * 1024}\r\n\r\n")
        status, _, body = _raw(url, head, b"--b\r\n")
        assert status == 413, (path, body)
        assert "QA_MAX_UPLOAD_MB" in body and arabic_first(json.loads(body)["error"])


def test_a_body_without_a_length_is_cut_off_at_the_limit(live):
    url = live[1]
    head = "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    status, _, body = _raw(url, head, chunks=[b'{"question": "' + b"x" * 65536] + [b"x" * 65536] * 40)
    assert status == 413 and "QA_MAX_REQUEST_KB" in body


def test_each_uploaded_file_is_held_to_max_file_mb(store_copy, model_cache, embedder):
    qa, _, client = _client(store_copy, model_cache, embedder, admin_token=TOKEN, max_file_mb=0.01)
    before = len(qa.articles())
    big = ARTICLE.encode() * 100  # ~28 KB: over the 10 KB limit
    response = client.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"},
                           files=[("files", ("big.txt", big, "text/plain")), ("files", ("ok.txt", ARTICLE.encode(),
                                                                                          "text/plain"))])
    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["added"] == 1
    assert [f["path"] for f in summary["failed"]] == ["big.txt"] and arabic_first(summary["failed"][0]["error"])
    assert len(qa.articles()) == before + 1


# -- file names --------------------------------------------------------------------------------
def test_file_names_a_file_system_cannot_take_still_go_in(live):
    import httpx

    qa, url = live
    before = len(qa.articles())
    long_name = "مقال " * 60 + ".txt"  # ~540 bytes
    body, content_type = _multipart([("a\x00b.txt", ARTICLE.encode()),
                                     (long_name, ARTICLE.replace("مكتبة", "حديقة").encode())])
    response = httpx.post(url + "/api/ingest", content=body, timeout=120,
                          headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type})
    assert response.status_code == 200, response.text
    assert response.json()["added"] == 2 and response.json()["failed"] == []
    assert len(qa.articles()) == before + 2


def test_safe_name():
    assert safe_name("a\x00b.txt", "f") == "ab.txt"
    long = safe_name("مقال" * 100 + ".jsonl", "f")
    assert long.endswith(".jsonl") and len(long.encode()) <= 255
    assert safe_name("../../etc/passwd", "f") == "passwd" and safe_name("..", "f") == "f"
    assert safe_name("C:\\docs\\خبر.html", "f") == "خبر.html" and safe_name("\x01\x02", "f") == "f"


# -- Gradio's upload route ---------------------------------------------------------------------
def _gradio_upload(client, cookies=None, headers=None):
    return client.post("/gradio_api/upload", files={"files": ("a.txt", ARTICLE.encode(), "text/plain")},
                       cookies=cookies, headers=headers or {})


def test_uploads_are_impossible_without_an_admin_token(store_copy, model_cache, embedder, uploads_dir):
    _, _, client = _client(store_copy, model_cache, embedder, admin_token="")
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer anything"}):
        response = _gradio_upload(client, headers=headers)
        assert response.status_code == 403 and arabic_first(response.json()["error"]), response.text
    assert client.post("/api/admin/session", headers={"Authorization": "Bearer x"}).status_code == 403
    assert not any(p.is_file() for p in uploads_dir.rglob("*")), "nothing was kept on disk"


def test_uploads_need_the_admin_pass_and_the_ingest_tab_deletes_them(store_copy, model_cache, embedder,
                                                                     uploads_dir):
    qa, settings, client = _client(store_copy, model_cache, embedder, admin_token=TOKEN)
    assert _gradio_upload(client).status_code == 403
    assert _gradio_upload(client, cookies={auth.UPLOAD_COOKIE: "9999999999.forged"}).status_code == 403
    expired = auth.upload_pass(settings, now=0)
    assert _gradio_upload(client, cookies={auth.UPLOAD_COOKIE: expired}).status_code == 403
    assert client.post("/api/admin/session", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert not any(p.is_file() for p in uploads_dir.rglob("*"))

    session = client.post("/api/admin/session", headers={"Authorization": f"Bearer {TOKEN}"})
    assert session.status_code == 200
    cookie = session.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN not in cookie
    uploaded = _gradio_upload(client, cookies={auth.UPLOAD_COOKIE: session.cookies[auth.UPLOAD_COOKIE]})
    assert uploaded.status_code == 200, uploaded.text
    [path] = uploaded.json()
    behind_https = client.post("/api/admin/session", headers={"Authorization": f"Bearer {TOKEN}",
                                                             "X-Forwarded-Proto": "https"})
    for attribute in ("Secure", "SameSite=None", "Partitioned", "HttpOnly"):
        assert attribute in behind_https.headers["set-cookie"], "the pass reaches the upload route in a Space's iframe"
    assert Path(path).is_file()
    steps = list(make_ingest(qa, settings)([path], TOKEN, progress=lambda *a, **k: None))
    assert "أضيف 1" in steps[-1][0]
    assert not Path(path).exists(), "the upload is deleted once ingested"
