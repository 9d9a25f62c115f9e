"""Reading stage: files, folders and zip archives become RawDocuments.

Nothing here cleans text; it only finds the articles, decodes them and
reports what could not be read as a ReadFailure (one line, naming the
reason) without stopping: an unexpected error ends only its own file.
Only regular files are read (never a FIFO or a device), and never more
than the size limit, whatever ``stat`` says. Zip members are read in
memory, never extracted. Names are shown escaped (``documents.shown``).
"""

from __future__ import annotations

import logging
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from index.decode import Unreadable, decode
from index.documents import RawDocument, ReadFailure, ReadWarning, shown
from index.records import parse_json, parse_jsonl
from index.settings import Settings

log = logging.getLogger(__name__)

Item = RawDocument | ReadFailure | ReadWarning
MB = 1024 * 1024
# What each file name ending is read as; a zip holds files of these kinds.
SUFFIX_KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl"}
ACCEPTED_SUFFIXES = (*SUFFIX_KINDS, ".zip")  # what an upload form should offer
NOT_REGULAR = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device",
               stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}
# Errors a corrupt member raises while it is inflated.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError, ValueError)

__all__ = ["Unreadable", "decode", "read_paths"]


# ---------------------------------------------------------------- walking

def read_paths(paths: list[str | Path], settings: Settings) -> Iterator[Item]:
    """Every article in ``paths`` (files, folders, zips), folders in sorted
    order, hidden entries skipped."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _read_folder(path, path.resolve(), settings)
        elif path.exists():
            yield from _guarded(path, _read_file(path, settings))
        else:
            yield ReadFailure(shown(str(path)), "no such file or directory")


def _read_folder(folder: Path, root: Path, settings: Settings) -> Iterator[Item]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield ReadFailure(shown(str(folder)), f"cannot read folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and not entry.resolve().is_relative_to(root):
            yield ReadFailure(shown(str(entry)), "symlink points outside the input folder")
        elif entry.is_dir():
            if not entry.is_symlink():  # a link to a folder inside would repeat or loop
                yield from _read_folder(entry, root, settings)
        elif entry.exists():
            yield from _guarded(entry, _read_file(entry, settings))
        else:
            yield ReadFailure(shown(str(entry)), "broken symlink")


def _guarded(path: Path | str, items: Iterable[Item]) -> Iterator[Item]:
    """One input's items; an error nobody foresaw ends that input alone, named."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - the rest of the batch goes on
        log.debug("reading %s failed", path, exc_info=True)
        yield ReadFailure(shown(str(path)), f"could not read: {' '.join(f'{type(exc).__name__}: {exc}'.split())}")


def _read_file(path: Path, settings: Settings) -> Iterator[Item]:
    origin = shown(str(path))
    try:
        handle = _open_regular(path, settings)
    except Unreadable as exc:
        yield ReadFailure(origin, str(exc))
        return
    except OSError as exc:
        yield ReadFailure(origin, f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        try:
            if path.suffix.lower() == ".zip":
                yield from _read_zip(handle, origin, settings)
                return
            _check_type(path.name)
            data = _read_limited(handle, settings)
        except Unreadable as exc:
            yield ReadFailure(origin, str(exc))
            return
        except OSError as exc:
            yield ReadFailure(origin, f"cannot read file: {exc.strerror or exc}")
            return
    yield from _parse(origin, path.name, data)


def _open_regular(path: Path, settings: Settings):
    """The file opened for reading, if it is a regular file within the size
    limit. Opened without blocking and checked again once open, so a FIFO
    swapped in meanwhile cannot hang the ingest (and its lock)."""
    _check_regular(os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        _check_regular(info.st_mode)
        _check_size(info.st_size, settings)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")
        raise Unreadable(f"not a regular file: {kind}; only regular files are read")


def _read_limited(handle, settings: Settings) -> bytes:
    """At most the size limit, whatever the file claimed when it was opened."""
    limit = int(settings.max_file_mb * MB)
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise Unreadable(f"file is over the {settings.max_file_mb:g} MB limit (max_file_mb): "
                         f"it grew while being read")
    return data


def _check_size(size: int, settings: Settings) -> None:
    if size > settings.max_file_mb * MB:
        raise Unreadable(f"file is {size / MB:.1f} MB, over the {settings.max_file_mb:g} MB limit (max_file_mb)")


def _check_type(name: str) -> None:
    if _kind(name) is None:
        suffix = PurePosixPath(name).suffix
        raise Unreadable(f"unsupported file type {repr(suffix) if suffix else '(none)'}")


def _kind(name: str) -> str | None:
    return SUFFIX_KINDS.get(PurePosixPath(name).suffix.lower())


# ---------------------------------------------------------------- zip archives

def _read_zip(handle, origin: str, settings: Settings) -> Iterator[Item]:
    """Members in name order, read in memory; the archive is refused whole
    when it looks like a bomb."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Unreadable(f"not a readable zip archive: {exc}") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not _hidden(m.filename)]
        _check_bomb(members, os.fstat(handle.fileno()).st_size, settings)
        for member in sorted(members, key=lambda m: m.filename):
            name = f"{origin}!{shown(member.filename)}"
            yield from _guarded(name, _read_member(archive, member, name, settings))


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
    except ZIP_ERRORS as exc:
        reason = f"corrupt compressed data ({exc})" if isinstance(exc, zlib.error) else str(exc) or type(exc).__name__
        raise Unreadable(f"cannot read zip member: {' '.join(reason.split())}") from None
    if len(data) > limit:
        raise Unreadable(f"member is over the {settings.max_file_mb:g} MB limit (max_file_mb)")
    return data


# ---------------------------------------------------------------- formats

def _parse(origin: str, name: str, data: bytes) -> Iterator[Item]:
    kind = _kind(name)
    warnings: list[str] = []
    try:
        text = decode(data, html=kind == "html", warnings=warnings)
    except Unreadable as exc:
        yield ReadFailure(origin, str(exc))
        return
    for warning in warnings:
        yield ReadWarning(origin, warning)
    if kind == "text":
        yield RawDocument(origin, text=text)
    elif kind == "html":
        yield RawDocument(origin, html=text)
    elif kind == "jsonl":
        yield from parse_jsonl(origin, text)
    else:
        yield from parse_json(origin, text)
