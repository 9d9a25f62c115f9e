"""Metadata of a cleaned article: title aside, what the input gave, else
the byline, the page's own metadata or a date line of the text. Dates are
full dates only (YYYY-MM-DD), never completed or guessed; a given
``published`` that is not one is reported as a warning, not dropped silently.
"""

from __future__ import annotations

import datetime as dt

from index import rules

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def metadata(item, lines: list[str], kinds: list[str | None], title: str | None) -> dict:
    """``item`` is the prepared document (clean._Prepared: fields, page, warnings)."""
    fields, page = item.fields, item.page
    published = _iso_date(fields["published"])
    if fields["published"] and published is None:
        given = fields["published"] if len(fields["published"]) <= 40 else fields["published"][:40] + "…"
        item.warnings.append(f"'published' {given!r} is not a full date (day, month and year): ignored")
    published = published or _iso_date(page.get("published")) or _text_date(lines, kinds)
    return {
        "title": title,
        "source": fields["source"] or byline_source(lines) or page.get("source"),
        "author": fields["author"] or _text_author(lines, kinds) or page.get("author"),
        "url": fields["url"] or page.get("url"),
        "published": published,
    }


def byline_source(lines: list[str]) -> str | None:
    for line in lines:
        match = rules.SOURCE_BYLINE.match(line)
        if match:
            return match["source"].strip()
    return None


def _text_author(lines: list[str], kinds: list[str | None]) -> str | None:
    for line, kind in zip(lines, kinds):
        match = rules.AUTHOR_BYLINE.match(line) if kind == "byline" else None
        if match:
            return match["author"].strip()
        if kind == "author":
            return line
    return None


def _text_date(lines: list[str], kinds: list[str | None]) -> str | None:
    """A date the text states on a line of its own (never a last-updated one)."""
    for line, kind in zip(lines, kinds):
        if kind == "date" and not rules.UPDATED_LINE.match(line):
            found = find_date(line)
            if found:
                return found
    return None


def _iso_date(value: str | None) -> str | None:
    return find_date(value) if value else None


def find_date(text: str) -> str | None:
    """The first full date (day, month and year) in ``text``, as YYYY-MM-DD."""
    text = text.translate(_DIGITS)
    for pattern in rules.DATE_PATTERNS:
        for match in pattern.finditer(text):
            found = _date_from(match)
            if found:
                return found
    return None


def _date_from(match) -> str | None:
    parts = match.groupdict()
    month = rules.MONTHS.get(parts["mon"].lower()) if parts.get("mon") else int(parts["m"])
    try:
        return dt.date(int(parts["y"]), month, int(parts["d"])).isoformat()
    except (TypeError, ValueError):
        return None
