"""Reading stage: files, folders and zip archives become RawDocuments.

Nothing here cleans text; it only finds the articles, decodes them and
reports what could not be read as a ReadFailure (one line, naming the
reason) without stopping. Zip members are read in memory, never extracted.
"""

from __future__ import annotations

import codecs
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from index.documents import RawDocument, ReadFailure
from index.settings import Settings

Item = RawDocument | ReadFailure
FIELD_NAMES = ("id", "title", "url", "source", "author")
PUBLISHED_ALIASES = ("published", "date", "date_extracted")  # first one given wins
MB = 1024 * 1024
# What each file name ending is read as; a zip holds files of these kinds.
SUFFIX_KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl"}
ACCEPTED_SUFFIXES = (*SUFFIX_KINDS, ".zip")  # what an upload form should offer

# BOMs other than UTF-8's, longest first (UTF-32-LE starts like UTF-16-LE).
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
ARABIC_LETTER = re.compile("[\u0621-\u064a]")
LETTER = re.compile(r"[^\W\d_]")
# Arabic single-byte text that a detector may misread as another code page.
ARABIC_CODEPAGES = ("cp1256", "iso8859_6")


class Unreadable(Exception):
    """A file that cannot be read; the message is the one-line reason."""


# ---------------------------------------------------------------- walking

def read_paths(paths: list[str | Path], settings: Settings) -> Iterator[Item]:
    """Every article in ``paths`` (files, folders, zips), folders in sorted
    order, hidden entries skipped."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _read_folder(path, path.resolve(), settings)
        elif path.exists():
            yield from _read_file(path, settings)
        else:
            yield ReadFailure(str(path), "no such file or directory")


def _read_folder(folder: Path, root: Path, settings: Settings) -> Iterator[Item]:
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and not entry.resolve().is_relative_to(root):
            yield ReadFailure(str(entry), "symlink points outside the input folder")
        elif entry.is_dir():
            if not entry.is_symlink():  # a link to a folder inside would repeat or loop
                yield from _read_folder(entry, root, settings)
        elif entry.exists():
            yield from _read_file(entry, settings)
        else:
            yield ReadFailure(str(entry), "broken symlink")


def _read_file(path: Path, settings: Settings) -> Iterator[Item]:
    origin = str(path)
    try:
        _check_size(path.stat().st_size, settings)
        if path.suffix.lower() == ".zip":
            yield from _read_zip(path, settings)
            return
        _check_type(path.name)
        data = path.read_bytes()
    except Unreadable as exc:
        yield ReadFailure(origin, str(exc))
        return
    except OSError as exc:
        yield ReadFailure(origin, f"cannot read file: {exc.strerror or exc}")
        return
    yield from _parse(origin, path.name, data)


def _check_size(size: int, settings: Settings) -> None:
    if size > settings.max_file_mb * MB:
        raise Unreadable(f"file is {size / MB:.1f} MB, over the {settings.max_file_mb:g} MB limit (max_file_mb)")


def _check_type(name: str) -> None:
    if _kind(name) is None:
        raise Unreadable(f"unsupported file type {PurePosixPath(name).suffix or '(none)'!r}")


def _kind(name: str) -> str | None:
    return SUFFIX_KINDS.get(PurePosixPath(name).suffix.lower())


# ---------------------------------------------------------------- zip archives

def _read_zip(path: Path, settings: Settings) -> Iterator[Item]:
    """Members in name order, read in memory; the archive is refused whole
    when it looks like a bomb."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unreadable(f"not a readable zip archive: {exc}") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not _hidden(m.filename)]
        _check_bomb(members, path.stat().st_size, settings)
        for member in sorted(members, key=lambda m: m.filename):
            yield from _read_member(archive, member, f"{path}!{member.filename}", settings)


def _hidden(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(p.startswith(".") and p not in (".", "..") for p in parts) or parts[:1] == ("__MACOSX",)


def _check_bomb(members: list[zipfile.ZipInfo], archive_size: int, settings: Settings) -> None:
    """Member count, then total size against the compression ratio limit:
    the whole archive may expand at most ``max_zip_ratio`` times (so at most
    max_file_mb x max_zip_ratio in all, as the archive is size-checked too)."""
    if len(members) > settings.max_zip_members:
        raise Unreadable(f"zip has {len(members)} members, over the limit of {settings.max_zip_members} (max_zip_members)")
    total = sum(m.file_size for m in members)
    if total > settings.max_zip_ratio * max(archive_size, 1):
        raise Unreadable(f"zip expands {total / max(archive_size, 1):.0f} times, over the limit of "
                         f"{settings.max_zip_ratio:g} (max_zip_ratio): refused as a possible zip bomb")


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, origin: str, settings: Settings) -> Iterator[Item]:
    try:
        _check_member_path(member.filename)
        _check_type(member.filename)
        _check_size(member.file_size, settings)
        data = _bounded_read(archive, member, settings)
    except Unreadable as exc:
        yield ReadFailure(origin, str(exc))
        return
    yield from _parse(origin, member.filename, data)


def _check_member_path(name: str) -> None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
        raise Unreadable("unsafe path in archive (absolute or '..'): refused")
    if name.lower().endswith(".zip"):
        raise Unreadable("nested zip archives are not read")


def _bounded_read(archive: zipfile.ZipFile, member: zipfile.ZipInfo, settings: Settings) -> bytes:
    """Read at most the size limit, whatever the header claims."""
    limit = int(settings.max_file_mb * MB)
    try:
        with archive.open(member) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
        raise Unreadable(f"cannot read zip member: {' '.join(str(exc).split())}") from None
    if len(data) > limit:
        raise Unreadable(f"member is over the {settings.max_file_mb:g} MB limit (max_file_mb)")
    return data


# ---------------------------------------------------------------- formats

def _parse(origin: str, name: str, data: bytes) -> Iterator[Item]:
    kind = _kind(name)
    try:
        text = decode(data, html=kind == "html")
    except Unreadable as exc:
        yield ReadFailure(origin, str(exc))
        return
    if kind == "text":
        yield RawDocument(origin, text=text)
    elif kind == "html":
        yield RawDocument(origin, html=text)
    elif kind == "jsonl":
        yield from _parse_jsonl(origin, text)
    else:
        yield from _parse_json(origin, text)


def _parse_jsonl(origin: str, text: str) -> Iterator[Item]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield _from_json_line(f"{origin}:{number}", line)


def _from_json_line(origin: str, line: str) -> Item:
    try:
        return _record(origin, json.loads(line))
    except json.JSONDecodeError as exc:
        return ReadFailure(origin, f"invalid JSON: {exc.msg} (column {exc.colno})")


def _parse_json(origin: str, text: str) -> Iterator[Item]:
    """One object, or a list of them (origins ``file.json[0]``, ``[1]``…)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ReadFailure(origin, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield _record(f"{origin}[{index}]", item)
    else:
        yield _record(origin, data)


def _record(origin: str, obj) -> Item:
    """A RawDocument from one JSON object: ``text``/``content`` or ``html``."""
    if not isinstance(obj, dict):
        return ReadFailure(origin, f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text") if obj.get("text") is not None else obj.get("content")
    html = obj.get("html")
    body = text if text is not None else html
    if not isinstance(body, str) or not body.strip():
        return ReadFailure(origin, "no article text: needs a non-empty 'text', 'content' or 'html' field")
    fields = {k: str(obj[k]) for k in FIELD_NAMES if obj.get(k) not in (None, "")}
    published = next((obj[k] for k in PUBLISHED_ALIASES if obj.get(k) not in (None, "")), None)
    if published is not None:
        fields["published"] = str(published)
    if text is not None:
        return RawDocument(origin, text=body, fields=fields)
    return RawDocument(origin, html=body, fields=fields)


# ---------------------------------------------------------------- decoding

def decode(data: bytes, html: bool = False) -> str:
    """Text of ``data``: UTF-8 first, then a BOM, then the page's declared
    charset (HTML), then charset-normalizer, checked to read as Arabic when
    the bytes may be an Arabic code page."""
    if not data.strip():
        raise Unreadable("empty file")
    text = _try_utf8(data) or _try_bom(data) or _try_truncated_utf8(data)
    if text is None:
        if b"\x00" in data:
            raise Unreadable("binary file, not text (NUL bytes)")
        text = (_try_declared(data) if html else None) or _try_mixed(data) or _detect(data)
    if text is None or _looks_binary(text):
        raise Unreadable("binary or undecodable file: no text encoding fits")
    if not text.strip():
        raise Unreadable("empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _try_utf8(data: bytes) -> str | None:
    if b"\x00" in data and not data.startswith(codecs.BOM_UTF8):
        return None  # NULs: UTF-16/32 or binary, even if the bytes happen to be valid UTF-8
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _try_bom(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise Unreadable(f"undecodable file: invalid {encoding.upper()} after its byte-order mark") from None
    return None


def _try_truncated_utf8(data: bytes) -> str | None:
    """UTF-8 cut off inside its last character (an interrupted copy): the
    text without that character, not a code-page guess that garbles it all."""
    for cut in (1, 2, 3):
        if len(data) > cut and data[-cut] >= 0xC0:
            return _try_utf8(data[:-cut])
    return None


def _try_mixed(data: bytes) -> str | None:
    """A file pasted together from UTF-8 and an Arabic code page: when some
    lines are Arabic UTF-8 and others are not UTF-8 at all, each line is
    decoded on its own (a whole-file guess would garble the UTF-8 part)."""
    lines = data.split(b"\n")
    decoded = [_try_utf8(line) for line in lines]
    if not any(t is not None and not line.isascii() and _arabic_share(t) >= 0.5 for line, t in zip(lines, decoded)):
        return None
    for i, line in enumerate(lines):
        if decoded[i] is None:
            decoded[i] = _detect(line)
            if decoded[i] is None:
                return None
    return "\n".join(decoded)


def _try_declared(data: bytes) -> str | None:
    match = HTML_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return data.decode(match.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess; if that does not read as Arabic but an
    Arabic code page does, the Arabic reading wins."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = str(best) if best is not None else None
    if guess is not None and _arabic_share(guess) >= 0.5:
        return guess
    for encoding in ARABIC_CODEPAGES:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _arabic_share(text) >= 0.5:
            return text
    return guess


def _arabic_share(text: str) -> float:
    letters = len(LETTER.findall(text))
    return len(ARABIC_LETTER.findall(text)) / letters if letters else 0.0


def _looks_binary(text: str) -> bool:
    """Mostly control characters: a binary file that happened to decode."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return "\x00" in text or controls > max(2, len(text) // 100)
