"""Reading: formats, encodings and hostile inputs, each failure one line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from index.documents import RawDocument, ReadFailure
from index.read import read_paths
from index.settings import Settings

ARABIC = "أجرى رأس النظام السوري اتصالاً هاتفياً مع الرئيس الروسي لمناقشة تطورات الأوضاع في سوريا."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + bytes(64)


@pytest.fixture
def settings() -> Settings:
    return Settings()


def _read(paths, settings) -> list:
    return list(read_paths(paths if isinstance(paths, list) else [paths], settings))


def _one(path, settings):
    items = _read(path, settings)
    assert len(items) == 1, items
    return items[0]


def _assert_failure(item, origin, *words):
    assert isinstance(item, ReadFailure), item
    assert item.origin == str(origin)
    assert "\n" not in item.error
    for word in words:
        assert word in item.error, item.error


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("name, data, expected", [
    ("utf8.txt", ARABIC.encode("utf-8"), ARABIC),
    ("bom.txt", b"\xef\xbb\xbf" + ARABIC.encode("utf-8"), ARABIC),
    ("utf16.txt", ARABIC.encode("utf-16"), ARABIC),  # with its BOM
    ("utf16be.txt", b"\xfe\xff" + ARABIC.encode("utf-16-be"), ARABIC),
    ("cp1256.txt", ARABIC.encode("cp1256"), ARABIC),
    ("short1256.txt", "عنوان قصير".encode("cp1256"), "عنوان قصير"),
])
def test_encodings_decode_to_arabic(tmp_path, settings, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    item = _one(path, settings)
    assert isinstance(item, RawDocument), item
    assert item.text == expected  # no BOM left, nothing misread
    assert item.origin == str(path)


def test_windows_1256_html_is_arabic(tmp_path, settings):
    path = tmp_path / "page.html"
    path.write_bytes(f"<html><head><meta charset=windows-1256></head><body><p>{ARABIC}</p></body></html>".encode("cp1256"))
    item = _one(path, settings)
    assert item.html is not None and ARABIC in item.html and item.text is None


def test_crlf_becomes_newline(tmp_path, settings):
    path = tmp_path / "crlf.txt"
    path.write_bytes(f"{ARABIC}\r\n\r\n{ARABIC}".encode())
    assert _one(path, settings).text == f"{ARABIC}\n\n{ARABIC}"


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path, settings, data):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    _assert_failure(_one(path, settings), path, "empty file")


def test_binary_file_renamed_txt(tmp_path, settings):
    path = tmp_path / "image.txt"
    path.write_bytes(PNG)
    _assert_failure(_one(path, settings), path, "binary")


def test_control_bytes_are_binary(tmp_path, settings):
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(1, 32)) * 20)
    _assert_failure(_one(path, settings), path, "binary")


# ---------------------------------------------------------------- formats

def test_html_and_txt_kinds(tmp_path, settings):
    (tmp_path / "a.html").write_text("<p>نص</p>", encoding="utf-8")
    (tmp_path / "b.htm").write_text("<p>نص</p>", encoding="utf-8")
    (tmp_path / "c.txt").write_text("نص", encoding="utf-8")
    a, b, c = _read(tmp_path, settings)
    assert (a.html, b.html, c.text) == ("<p>نص</p>", "<p>نص</p>", "نص")
    assert a.text is None and c.html is None


def test_jsonl_with_one_bad_line(tmp_path, settings):
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": 7, "title": "عنوان", "text": ARABIC, "url": "https://x.example/1", "date": "2021-04-26"}, ensure_ascii=False),
        "",
        '{"text": "نص مقطوع',
        json.dumps({"content": "محتوى", "source": "موقع", "author": "كاتب"}, ensure_ascii=False),
        json.dumps({"html": "<p>صفحة</p>", "date_extracted": "2020-01-02"}, ensure_ascii=False),
        json.dumps({"title": "بلا نص"}, ensure_ascii=False),
        json.dumps(["not", "an", "object"]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, bad, third, fourth, no_text, not_object = _read(path, settings)
    assert first == RawDocument(f"{path}:1", text=ARABIC, fields={
        "id": "7", "title": "عنوان", "url": "https://x.example/1", "published": "2021-04-26"})
    _assert_failure(bad, f"{path}:3", "invalid JSON")
    assert third == RawDocument(f"{path}:4", text="محتوى", fields={"source": "موقع", "author": "كاتب"})
    assert fourth == RawDocument(f"{path}:5", html="<p>صفحة</p>", fields={"published": "2020-01-02"})
    _assert_failure(no_text, f"{path}:6", "'text'", "'html'")
    _assert_failure(not_object, f"{path}:7", "JSON object")


def test_json_list_and_single_object(tmp_path, settings):
    (tmp_path / "list.json").write_text(json.dumps([{"text": "أول"}, {"content": "ثان", "published": "2022-02-02"}], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps({"html": "<p>واحد</p>", "title": "ع"}, ensure_ascii=False), encoding="utf-8")
    first, second, one = _read(tmp_path, settings)
    assert (first.origin, first.text) == (f"{tmp_path / 'list.json'}[0]", "أول")
    assert (second.text, second.fields) == ("ثان", {"published": "2022-02-02"})
    assert (one.origin, one.html, one.fields) == (str(tmp_path / "one.json"), "<p>واحد</p>", {"title": "ع"})


def test_invalid_json(tmp_path, settings):
    path = tmp_path / "broken.json"
    path.write_text('{"text": ', encoding="utf-8")
    _assert_failure(_one(path, settings), path, "invalid JSON", "line 1")


def test_unsupported_extension(tmp_path, settings):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    _assert_failure(_one(path, settings), path, "unsupported file type", ".pdf")


# ---------------------------------------------------------------- folders

def test_folder_recursive_sorted_skipping_hidden(tmp_path, settings):
    for rel in ["b.txt", "a.txt", "sub/c.txt", ".hidden.txt", ".git/d.txt", "sub/.e.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel, encoding="utf-8")
    assert [i.text for i in _read(tmp_path, settings)] == ["a.txt", "b.txt", "sub/c.txt"]


def test_missing_path(tmp_path, settings):
    _assert_failure(_one(tmp_path / "nope", settings), tmp_path / "nope", "no such file")


def test_file_over_size_limit_is_not_read(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: big on paper, nothing written
        handle.truncate(3 * 1024 * 1024)
    _assert_failure(_one(path, Settings(max_file_mb=1)), path, "over the 1 MB limit", "max_file_mb")


def test_symlink_outside_folder_refused(tmp_path, settings):
    outside = tmp_path / "secret.txt"
    outside.write_text("سر", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("نص", encoding="utf-8")
    (folder / "inner.txt").symlink_to(folder / "ok.txt")
    (folder / "leak.txt").symlink_to(outside)
    (folder / "leakdir").symlink_to(tmp_path, target_is_directory=True)
    inner, leak, leakdir, ok = _read(folder, settings)
    assert inner.text == "نص" and ok.text == "نص"
    _assert_failure(leak, folder / "leak.txt", "symlink", "outside")
    _assert_failure(leakdir, folder / "leakdir", "symlink", "outside")


# ---------------------------------------------------------------- zip archives

def _zip(path: Path, members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


def test_zip_members_read_in_memory_and_unsafe_paths_refused(tmp_path, settings):
    work = tmp_path / "work"
    work.mkdir()
    archive = _zip(work / "batch.zip", {
        "b/one.txt": ARABIC.encode("utf-8"),
        "../evil.txt": b"escape",
        "/etc/evil.txt": b"absolute",
        "a/two.jsonl": json.dumps({"text": "نص"}, ensure_ascii=False).encode() + b"\n{bad\n",
        "c/notes.pdf": b"%PDF",
        "d/.hidden.txt": b"hidden",
        "e/inner.zip": b"PK",
    })
    before = sorted(p.name for p in tmp_path.rglob("*"))
    items = _read(archive, settings)
    by_origin = {item.origin: item for item in items}
    assert list(by_origin) == [
        f"{archive}!../evil.txt", f"{archive}!/etc/evil.txt", f"{archive}!a/two.jsonl:1",
        f"{archive}!a/two.jsonl:2", f"{archive}!b/one.txt", f"{archive}!c/notes.pdf", f"{archive}!e/inner.zip",
    ]
    _assert_failure(by_origin[f"{archive}!../evil.txt"], f"{archive}!../evil.txt", "unsafe path")
    _assert_failure(by_origin[f"{archive}!/etc/evil.txt"], f"{archive}!/etc/evil.txt", "unsafe path")
    assert by_origin[f"{archive}!a/two.jsonl:1"].text == "نص"
    _assert_failure(by_origin[f"{archive}!a/two.jsonl:2"], f"{archive}!a/two.jsonl:2", "invalid JSON")
    assert by_origin[f"{archive}!b/one.txt"].text == ARABIC
    _assert_failure(by_origin[f"{archive}!c/notes.pdf"], f"{archive}!c/notes.pdf", "unsupported file type")
    _assert_failure(by_origin[f"{archive}!e/inner.zip"], f"{archive}!e/inner.zip", "nested zip")
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing extracted
    assert not (tmp_path / "evil.txt").exists() and not Path("/etc/evil.txt").exists()


def test_zip_bomb_refused_by_ratio(tmp_path, settings):
    archive = _zip(tmp_path / "bomb.zip", {"a.txt": b"\x00" * 20_000_000})
    _assert_failure(_one(archive, settings), archive, "zip bomb", "max_zip_ratio")


def test_zip_with_too_many_members_refused(tmp_path):
    archive = _zip(tmp_path / "many.zip", {f"{n}.txt": b"x" for n in range(6)})
    _assert_failure(_one(archive, Settings(max_zip_members=5)), archive, "6 members", "max_zip_members")


def test_zip_member_over_size_limit(tmp_path):
    archive = _zip(tmp_path / "big.zip", {"big.txt": ("نص " * 400_000).encode(), "small.txt": "نص".encode()})
    assert archive.stat().st_size < 100_000  # the archive passes; the member is checked on its own
    big, small = _read(archive, Settings(max_file_mb=1, max_zip_ratio=1e6))
    _assert_failure(big, f"{archive}!big.txt", "over the 1 MB limit", "max_file_mb")
    assert small.text == "نص"


def test_zip_member_lying_about_its_size(tmp_path):
    """A header that claims a small member: reading stops there and fails
    its check instead of inflating 2 MB."""
    data = _zip(tmp_path / "honest.zip", {"a.txt": ("نص " * 400_000).encode()}).read_bytes()
    claimed = (2_000_000).to_bytes(4, "little")
    assert data.count(claimed) == 2  # the local and the central header
    path = tmp_path / "liar.zip"
    path.write_bytes(data.replace(claimed, (100).to_bytes(4, "little")))
    _assert_failure(_one(path, Settings(max_file_mb=1, max_zip_ratio=1e6)), f"{path}!a.txt", "cannot read zip member")


def test_not_a_zip(tmp_path, settings):
    path = tmp_path / "fake.zip"
    path.write_text("not a zip", encoding="utf-8")
    _assert_failure(_one(path, settings), path, "not a readable zip")
