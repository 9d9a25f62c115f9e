"""The records that flow through the building side: what a reader yields,
what the cleaner makes of it, and what a failure looks like."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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


@dataclass
class ReadFailure:
    origin: str
    error: str

    def to_dict(self) -> dict:
        return {"path": self.origin, "error": self.error}


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
