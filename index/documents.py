"""The records that flow through the building side: what a reader yields,
what the cleaner makes of it, and what a failure looks like."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

# Characters that would break a one-line message or reorder it on screen:
# controls (a newline in a file name), bidi overrides, line separators, and
# the bytes of a name that is not UTF-8 (kept by Python as lone surrogates).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(name: str) -> str:
    """``name`` safe to print on one line and to store: each unshowable
    character written as an escape (``\\n``, ``\\u202e``, ``\\xff`` for
    a byte that was not UTF-8)."""
    return _UNSHOWABLE.sub(_escape, name)


def _escape(match: re.Match) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass
class RawDocument:
    """One article as read from its input, before cleaning.

    ``origin`` names where it came from for error messages and logs:
    a path, ``archive.zip!inner/path`` or ``file.jsonl:LINE``.
    Exactly one of ``text`` (plain, scraped text) or ``html`` is set.
    ``fields`` holds metadata the input itself gave (id, title, url, source,
    author, published); the cleaner fills what is missing.
    """

    origin: str
    text: str | None = None
    html: str | None = None
    fields: dict = field(default_factory=dict)
    # what reading or cleaning changed or ignored, e.g. bytes replaced
    warnings: list[str] = field(default_factory=list, compare=False)


@dataclass
class ReadFailure:
    origin: str
    error: str

    def to_dict(self) -> dict:
        return {"path": self.origin, "error": self.error}


@dataclass
class ReadWarning:
    """Something reading changed but did not refuse (bytes replaced)."""

    origin: str
    warning: str

    def to_dict(self) -> dict:
        return {"path": self.origin, "warning": self.warning}


@dataclass
class Article:
    """A cleaned article: ``text`` keeps the article's own spelling; paragraphs
    are separated by a blank line. Unknown metadata stays None, never invented."""

    id: str
    title: str | None
    text: str
    source: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or datetime
    origin: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    def public_dict(self) -> dict:
        """The fields ``qa show --json`` prints."""
        return {k: getattr(self, k) for k in ("id", "title", "source", "author", "url", "published", "text")}
