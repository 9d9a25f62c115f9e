"""The bad-input table: every kind of hostile or broken input, and what a
person sees for it after one real `qa ingest --json` of them all (a child
process, so a hang fails the run instead of stalling it).

Each row is one input and its expected one-line outcome: the failure
message, a warning, or stored (with what must hold of the stored text).
Every input fails alone: the rest of the batch is stored, the sample
article already in the store is untouched, and nothing is half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from index.settings import Settings
from tests.conftest import ROOT
from tests.test_reliability import CHILD_TIMEOUT, OTHER, PARA, check_store, fresh_store, qa_child

ARTICLE_LIMIT = 20_000  # QA_MAX_ARTICLE_CHARS for this ingest


def body(n: int) -> str:
    """An article of two paragraphs that no other row has (``n`` tells them apart)."""
    return f"خبر رقم {n}\n\n{PARA} في اليوم {n}.\n\n{OTHER} رقم {n}.\n"


def record(n: int, **fields) -> str:
    return json.dumps({"text": body(n), **fields}, ensure_ascii=False)


def write(name: str | bytes, data: bytes | str) -> Callable[[Path], None]:
    """A file; a bytes ``name`` may be a name that is not UTF-8."""
    def build(folder: Path) -> None:
        path = folder / (os.fsdecode(name) if isinstance(name, bytes) else name)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return build


def zipped(name: str, members: dict[str, bytes], corrupt: str | None = None) -> Callable[[Path], None]:
    """A zip; ``corrupt`` names a member whose deflate data is overwritten."""
    def build(folder: Path) -> None:
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        if corrupt:
            data = bytearray(path.read_bytes())
            at = data.index(corrupt.encode()) + len(corrupt) + 8
            data[at:at + 24] = b"\xff" * 24
            path.write_bytes(bytes(data))
    return build


def linked(name: str, target: str | Callable[[Path], Path], directory: bool = False) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / name).symlink_to(target(folder) if callable(target) else target, target_is_directory=directory)
    return build


def outside(folder: Path) -> Path:
    secret = folder.parent / "outside"
    secret.mkdir(exist_ok=True)
    (secret / "secret.txt").write_text(body(999), encoding="utf-8")
    return secret


def sparse(name: str, mb: int) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        with open(folder / name, "wb") as handle:  # big on paper, nothing written
            handle.truncate(mb * 1024 * 1024)
    return build


def fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")


def unix_socket(folder: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "socket.txt"))
    sock.close()


_AT = body(20).encode().index(b" ", 25) + 1  # between two words of the first paragraph
ONE_BAD_BYTE = body(20).encode()[:_AT] + b"\xff" + body(20).encode()[_AT:]
MIXED_LINE = (f"خبر مختلط\n\n{PARA} ".encode() + f"{OTHER} في الميناء 21.".encode("cp1256") + b"\n")
MIXED_PARAGRAPHS = f"خبر مختلط آخر\n\n{OTHER}.\n\n".encode() + f"{PARA} في 22.\n".encode("cp1256")
SEPARATORS = "\n".join([
    record(23, title="سطر\u2028فاصل", source="وكالة\u2029الاختبار"),
    json.dumps({"text": body(24) + "\u0085" + body(25)}, ensure_ascii=False),
    '{"text": "لم يكتمل',
    record(26),
]) + "\n"


@dataclass
class Kind:
    id: str
    origin: str  # relative to the input folder, as the summary names it (escaped)
    build: Callable[[Path], None] | None
    outcome: str  # failed | warning | stored
    message: str = ""  # what the failure or warning says
    check: Callable[[str], bool] | None = None  # on the stored text


KINDS = [
    # the file system
    Kind("huge file", "huge.txt", sparse("huge.txt", 200), "failed", "200.0 MB, over the 50 MB limit (max_file_mb)"),
    Kind("empty file", "empty.txt", write("empty.txt", b""), "failed", "empty file"),
    Kind("blank file", "blank.txt", write("blank.txt", " \n\t\n"), "failed", "empty file"),
    Kind("image named .txt", "image.txt", write("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
         "failed", "binary file, not text (NUL bytes)"),
    Kind("control bytes", "controls.txt", write("controls.txt", bytes(range(1, 32)) * 20), "failed",
         "binary or undecodable file"),
    Kind("unsupported type", "report.pdf", write("report.pdf", b"%PDF-1.4"), "failed", "unsupported file type '.pdf'"),
    Kind("no extension", "README", write("README", "نص"), "failed", "unsupported file type (none)"),
    Kind("FIFO", "pipe.txt", fifo, "failed", "not a regular file: a named pipe (FIFO); only regular files are read"),
    Kind("socket", "socket.txt", unix_socket, "failed", "not a regular file: a socket"),
    Kind("character device, given", "/dev/zero", None, "failed", "not a regular file: a character device"),
    Kind("symlink to a device", "zero.txt", linked("zero.txt", "/dev/zero"), "failed",
         "symlink points outside the input folder"),
    Kind("symlink outside", "link.txt", linked("link.txt", lambda f: outside(f) / "secret.txt"), "failed",
         "symlink points outside the input folder"),
    Kind("symlinked folder outside", "linkdir", linked("linkdir", outside, directory=True), "failed",
         "symlink points outside the input folder"),
    Kind("broken symlink", "dangling.txt", linked("dangling.txt", lambda f: f / "missing.txt"), "failed",
         "broken symlink"),
    Kind("name not UTF-8", "latin\\xff\\xfe.txt", write(b"latin\xff\xfe.txt", body(1)), "stored"),
    Kind("newline in a name", "new\\nline.txt", write("new\nline.txt", body(2)), "stored"),
    Kind("RTL override in a name", "rtl\\u202eevil.txt", write("rtl\u202eevil.txt", body(3)), "stored"),
    Kind("newline in a failing name", "bad\\nname.pdf", write("bad\nname.pdf", b"%PDF"), "failed",
         "unsupported file type '.pdf'"),
    # encodings
    Kind("one invalid byte in UTF-8", "one-bad-byte.txt", write("one-bad-byte.txt", ONE_BAD_BYTE), "warning",
         "1 byte(s) that are not UTF-8 replaced with U+FFFD (first on line 3)",
         lambda t: t.count("\ufffd") == 1 and t.replace("\ufffd", "") in body(20).replace("\n\n", "\n\n")),
    Kind("UTF-8 and cp1256 on one line", "mixed-line.txt", write("mixed-line.txt", MIXED_LINE), "warning",
         "mixed encodings: 1 passage(s) not in UTF-8 read as Windows-1256 (first on line 3)",
         lambda t: f"{PARA} {OTHER} في الميناء 21." in t),
    Kind("UTF-8 and cp1256 paragraphs", "mixed.txt", write("mixed.txt", MIXED_PARAGRAPHS), "warning",
         "mixed encodings", lambda t: t.startswith(OTHER) and f"{PARA} في 22." in t),
    Kind("UTF-8 cut inside a character", "truncated.txt",
         write("truncated.txt", f"خبر مقطوع\n\n{OTHER} وإربد".encode()[:-1]), "stored", check=lambda t: t.endswith("وإرب")),
    Kind("UTF-16 without BOM", "utf16.txt", write("utf16.txt", body(4).encode("utf-16-le")), "stored",
         check=lambda t: "اليوم 4" in t),
    Kind("UTF-16-BE without BOM", "utf16be.txt", write("utf16be.txt", body(5).encode("utf-16-be")), "stored",
         check=lambda t: "اليوم 5" in t),
    Kind("Windows-1256", "cp1256.txt", write("cp1256.txt", body(6).encode("cp1256")), "stored",
         check=lambda t: "اليوم 6" in t),
    Kind("broken UTF-16 after a BOM", "bad-bom.txt", write("bad-bom.txt", b"\xff\xfe" + b"\x00\xd8" * 4 + b"a\x00"),
         "failed", "invalid UTF-16 after its byte-order mark"),
    # HTML
    Kind("HTML nested 5,000 deep", "nested.html", write("nested.html", "<html><body>" + "<div>" * 5000
         + f"<p>{PARA} في 7.</p>" + "</div>" * 5000 + "</body></html>"), "stored", check=lambda t: "في 7" in t),
    Kind("malformed HTML", "malformed.html", write("malformed.html", f"<html><title>خبر<body><p<<>>{OTHER} 8<p>"
         f"<b><i>{PARA}</b></i><script>alert(1)<div><table><tr><td>"), "stored"),
    Kind("HTML in windows-1256", "page1256.html", write("page1256.html", (
        f"<html><head><meta charset=windows-1256></head><body><p>{PARA} في 9.</p></body></html>").encode("cp1256")),
        "stored", check=lambda t: "في 9" in t),
    # JSON Lines and JSON
    Kind("U+2028/U+2029 in a record", "separators.jsonl:1", write("separators.jsonl", SEPARATORS), "stored"),
    Kind("U+0085 in a record", "separators.jsonl:2", None, "stored", check=lambda t: "اليوم 25" in t),
    Kind("invalid line after them, numbered right", "separators.jsonl:3", None, "failed", "invalid JSON"),
    Kind("line after it", "separators.jsonl:4", None, "stored"),
    Kind("lone surrogate in a title", "surrogate.jsonl:1", write("surrogate.jsonl", "\n".join([
        json.dumps({"title": "\ud800", "text": body(27)}), json.dumps({"text": "\ud800" + body(28)}), record(29)])),
        "failed", "'title' is not valid Unicode: lone surrogate \\ud800 at character 1"),
    Kind("lone surrogate in the text", "surrogate.jsonl:2", None, "failed", "'text' is not valid Unicode"),
    Kind("the line after them", "surrogate.jsonl:3", None, "stored"),
    Kind("id given as a list", "types.jsonl:1", write("types.jsonl", "\n".join([
        record(30, id=["a", "b"]), record(31, title={"ar": "عنوان"}), json.dumps({"text": 5}),
        json.dumps({"text": "", "html": f"<p>{PARA} في 32.</p>"}, ensure_ascii=False), json.dumps({"title": "بلا نص"}),
        json.dumps(["نص"]), record(33, published="yesterday"), record(34, id=7)])), "failed",
        "'id' must be a string, got a list"),
    Kind("title given as an object", "types.jsonl:2", None, "failed", "'title' must be a string, got an object"),
    Kind("text given as a number", "types.jsonl:3", None, "failed", "'text' must be a string, got a number"),
    Kind("empty text beside html", "types.jsonl:4", None, "stored", check=lambda t: "في 32" in t),
    Kind("no text at all", "types.jsonl:5", None, "failed",
         "no article text: needs a non-empty 'text', 'content' or 'html' field"),
    Kind("a line that is not an object", "types.jsonl:6", None, "failed", "expected a JSON object, got a list"),
    Kind("unparseable published", "types.jsonl:7", None, "warning",
         "'published' 'yesterday' is not a full date (day, month and year): ignored"),
    Kind("numeric id", "types.jsonl:8", None, "stored"),
    Kind("empty JSON list", "empty.json", write("empty.json", "[]"), "failed", "empty JSON list: no articles in it"),
    Kind("broken JSON", "broken.json", write("broken.json", '{"text": '), "failed", "invalid JSON: Expecting value (line 1"),
    Kind("JSON nested too deeply", "deep.json", write("deep.json", "[" * 100_000 + "]" * 100_000), "failed",
         "invalid JSON: nested too deeply"),
    Kind("same id, different text, earlier", "dupes.json[0]", write("dupes.json", "[" + ",".join([
        record(35, id="dup"), record(36, id="dup"), record(37, id="same"), record(37, id="same")]) + "]"), "failed",
        "article id 'dup' is given again later in this batch"),
    Kind("same id, different text, later", "dupes.json[1]", None, "stored", check=lambda t: "اليوم 36" in t),
    Kind("an exact copy", "dupes.json[3]", None, "stored"),
    # zip archives
    Kind("corrupt deflate data", "corrupt.zip!a.txt", zipped("corrupt.zip", {
        "a.txt": (body(38) * 20).encode(), "b.txt": body(39).encode()}, corrupt="a.txt"), "failed",
        "cannot read zip member: corrupt compressed data"),
    Kind("the member beside it", "corrupt.zip!b.txt", None, "stored"),
    Kind("zip member with ..", "evil.zip!../escape.txt", zipped("evil.zip", {
        "../escape.txt": body(40).encode(), "/abs/olute.txt": body(41).encode(), "inner.zip": b"PK",
        "notes.pdf": b"%PDF", "ok/new\nline.txt": body(42).encode()}), "failed", "unsafe path in archive"),
    Kind("zip member with an absolute path", "evil.zip!/abs/olute.txt", None, "failed", "unsafe path in archive"),
    Kind("nested zip", "evil.zip!inner.zip", None, "failed", "nested zip archives are not read"),
    Kind("zip member of an unsupported type", "evil.zip!notes.pdf", None, "failed", "unsupported file type '.pdf'"),
    Kind("zip member with a newline in its name", "evil.zip!ok/new\\nline.txt", None, "stored"),
    Kind("zip bomb", "bomb.zip", zipped("bomb.zip", {"bomb.txt": b"\x00" * 30_000_000}), "failed", "zip bomb"),
    Kind("not a zip", "fake.zip", write("fake.zip", "not a zip"), "failed", "not a readable zip archive"),
    # size of an article
    Kind("article over the size limit", "long.txt", write("long.txt", "خبر طويل\n\n" + f"{PARA}.\n\n" * 200),
         "failed", f"over the limit of {ARTICLE_LIMIT:,} (max_article_chars)"),
    Kind("delete of an id with a newline", "no\\nsuch", None, "failed", "no article with this id in the store"),
]


@pytest.fixture(scope="module")
def outcome(tmp_path_factory, sample_store, embedder, model_cache):
    """One `qa ingest --json` of every input above; the summary, the store
    afterwards and the folder."""
    base = tmp_path_factory.mktemp("bad-input")
    folder, store = base / "in", base / "store"
    folder.mkdir()
    shutil.copytree(sample_store, store)
    for kind in KINDS:
        if kind.build is not None:
            kind.build(folder)
    embedder.dimension  # the model converted before the child needs it
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QA_HOME": str(base / "home"), "QA_MODEL_CACHE": str(model_cache),
           "QA_MAX_ARTICLE_CHARS": str(ARTICLE_LIMIT)}
    done = subprocess.run(qa_child("ingest", folder, "/dev/zero", "--delete", "no\nsuch", "--store", store, "--json"),
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=CHILD_TIMEOUT)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-3000:]
    text_run = subprocess.run(qa_child("ingest", folder / "report.pdf", folder / "one-bad-byte.txt", "--store", store),
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=CHILD_TIMEOUT)
    summary = json.loads(done.stdout)
    prefix = f"{folder}/"
    rows = {f["path"].removeprefix(prefix): ("failed", f["error"]) for f in summary["failed"]}
    rows.update({w["path"].removeprefix(prefix): ("warning", w["warning"]) for w in summary["warnings"]})
    settings = Settings.from_env(environ={}, store=store, model_cache=model_cache)
    return {"summary": summary, "rows": rows, "store": fresh_store(settings, embedder), "prefix": prefix,
            "text_run": text_run}


def stored_texts(outcome) -> dict[str, str]:
    store = outcome["store"]
    return {meta["origin"].removeprefix(outcome["prefix"]): store.get_article(article_id).text
            for article_id, meta in store.article_records().items()}


def test_the_table_has_at_least_40_kinds():
    assert len(KINDS) >= 40 and len({k.id for k in KINDS}) == len(KINDS)


@pytest.mark.parametrize("kind", KINDS, ids=[k.id for k in KINDS])
def test_each_input_gets_its_outcome(outcome, kind):
    rows, texts = outcome["rows"], stored_texts(outcome)
    if kind.outcome == "stored":
        assert kind.origin not in rows or rows[kind.origin][0] == "warning", rows.get(kind.origin)
    else:
        assert kind.origin in rows, (kind.origin, sorted(rows))
        status, message = rows[kind.origin]
        assert status == kind.outcome and kind.message in message, (status, message)
    if kind.outcome != "failed":
        assert kind.origin in texts, (kind.origin, sorted(texts))
        assert kind.check is None or kind.check(texts[kind.origin]), texts[kind.origin][:300]
    else:
        assert kind.origin not in texts


def test_every_message_is_one_line_and_the_rest_is_stored(outcome):
    summary = outcome["summary"]
    for row in summary["failed"] + summary["warnings"]:
        for value in row.values():
            assert value.strip() and not any(ch in value for ch in "\n\r\u2028\u2029\u0085\u202e"), row
    expected = {k.origin for k in KINDS if k.outcome != "failed"}
    assert summary["added"] == len(expected), (summary["added"], sorted(expected))
    texts = stored_texts(outcome)
    assert set(texts) == expected | {next(o for o in texts if o.endswith("taif-post-assad-putin-call.txt"))}
    assert not any("ط£" in t or "ظ„" in t for t in texts.values()), "mis-decoded text stored"
    state = check_store(outcome["store"])
    assert not state["orphans"]


def test_text_output_is_one_line_per_problem(outcome):
    run = outcome["text_run"]
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert lines == [f"failed: {outcome['prefix']}report.pdf: unsupported file type '.pdf'",
                     f"warning: {outcome['prefix']}one-bad-byte.txt: 1 byte(s) that are not UTF-8 replaced with "
                     f"U+FFFD (first on line 3)"], run.stderr
    assert run.stdout.startswith("added 0, updated 0, unchanged 1")


def test_upload_of_bad_members_is_200_with_each_named(tmp_path, store_copy, embedder):
    """Through POST /api/ingest: a corrupt zip member and lone surrogates
    were a 500 for the whole upload; now each fails alone, named."""
    import httpx

    from qa.api import QA
    from web.server import serve_in_background

    folder = tmp_path / "up"
    folder.mkdir()
    zipped("corrupt.zip", {"a.txt": (body(50) * 20).encode(), "b.txt": body(51).encode()}, corrupt="a.txt")(folder)
    (folder / "records.jsonl").write_text("\n".join([json.dumps({"title": "\ud800", "text": body(52)}),
                                                     record(53)]) + "\n", encoding="utf-8")
    settings = Settings.from_env(store=store_copy, admin_token="tok-bad-input", host="127.0.0.1")
    qa = QA(settings, embedder=embedder)
    with serve_in_background(qa, settings) as url:
        response = httpx.post(f"{url}/api/ingest", headers={"Authorization": "Bearer tok-bad-input"}, timeout=300,
                              files=[("files", (p.name, p.read_bytes())) for p in sorted(folder.iterdir())])
    assert response.status_code == 200, response.text
    summary = response.json()
    failed = {f["path"]: f["error"] for f in summary["failed"]}
    assert summary["added"] == 2, summary  # b.txt and line 2
    assert "corrupt compressed data" in failed["corrupt.zip!a.txt"], failed
    assert "lone surrogate" in failed["records.jsonl:1"], failed
