"""Uploaded files on their way to the ingester: written under safe names in
a private temporary folder, each held to ``QA_MAX_FILE_MB`` while it is
copied (never read into memory whole), and removed when the ingest is done.

A name a file system cannot take (NUL or other control characters, over 255
bytes) is made one it can, keeping its extension; the report shows it so.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import unicodedata
from pathlib import Path

from fastapi import Request

from index.settings import Settings

from .limits import BodyTooLarge

log = logging.getLogger(__name__)
MAX_NAME_BYTES = 255  # the limit of ext4, APFS, NTFS (in UTF-16 units, looser)
COPY_CHUNK = 1024 * 1024
MB = 1024 * 1024
NO_FILES = "send the files as multipart/form-data field 'files'"


def safe_name(name: str | None, fallback: str) -> str:
    """``name`` without its folders and control characters, at most 255 UTF-8
    bytes with its extension kept; ``fallback`` when nothing is left."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if name in ("", ".", ".."):  # a path step, not a file
        return fallback
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix.encode()) > 16:
        stem, dot, suffix = name, "", ""
    room = MAX_NAME_BYTES - len(f"{dot}{suffix}".encode())
    stem = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return f"{stem}{dot}{suffix}" or fallback


def shown_path(path: str | None, roots: list[str]) -> str:
    """An uploaded file's name without the server's temporary folder."""
    path = path or ""
    for root in sorted(roots, key=len, reverse=True):
        if path.startswith(root):
            return path[len(root):].lstrip("/\\")
    return Path(path).name if "!" not in path else path


async def _copy_bounded(upload, target: Path, limit: int) -> bool:
    """Copy ``upload`` to ``target`` unless it is over ``limit`` bytes."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        return False
    written = 0
    with open(target, "wb") as out:
        while chunk := await upload.read(COPY_CHUNK):
            written += len(chunk)
            if written > limit:
                break
            out.write(chunk)
    if written > limit:
        target.unlink(missing_ok=True)
        return False
    return True


@contextlib.asynccontextmanager
async def save_uploads(request: Request, settings: Settings):
    """Yields (paths written, refusals as ingest failures) for the multipart
    field ``files``; the folder is gone afterwards."""
    try:
        form = await request.form(max_files=1000, max_fields=100)
    except BodyTooLarge:
        raise
    except Exception:  # a body that is not multipart, or a broken one
        form = None
    uploads = [f for f in form.getlist("files") if hasattr(f, "filename")] if form is not None else []
    folder = Path(tempfile.mkdtemp(prefix="qa-upload-"))
    limit = int(settings.max_file_mb * MB)
    paths, refused = [], []
    try:
        for i, upload in enumerate(uploads):
            name = safe_name(upload.filename, f"upload-{i}")
            target = folder / f"{i:03d}" / name
            target.parent.mkdir()
            if await _copy_bounded(upload, target, limit):
                paths.append(target)
            else:
                refused.append({"path": name, "error": f"الملف أكبر من {settings.max_file_mb:g} MB (file is over "
                                                       f"the {settings.max_file_mb:g} MB limit, max_file_mb)"})
        yield paths, refused
    finally:
        if form is not None:
            await form.close()
        shutil.rmtree(folder, ignore_errors=True)


def discard(paths) -> None:
    """Remove files the ingest tab was given, once ingested: only those in
    Gradio's upload folder (with their content-hash folder when empty)."""
    from gradio.utils import get_upload_folder

    root = Path(get_upload_folder()).resolve()
    for path in paths or ():
        path = Path(path).resolve()
        if not path.is_relative_to(root) or path == root:
            continue
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            if path.parent != root:
                path.parent.rmdir()
