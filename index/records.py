"""JSON and JSON Lines inputs: each object is one article, checked field by
field, so that one bad record fails alone, named by its line or index.

JSON Lines are split on ``\\n`` only: U+2028, U+2029 and U+0085 are legal
inside a JSON string (``json.dumps(ensure_ascii=False)`` writes them raw).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from index.documents import RawDocument, ReadFailure

FIELD_NAMES = ("id", "title", "url", "source", "author")
PUBLISHED_ALIASES = ("published", "date", "date_extracted")  # first one given wins
BODY_FIELDS = ("text", "content", "html")  # the first non-empty one is the article
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class BadRecord(ValueError):
    """A record that cannot be stored; the message is the one-line reason."""


def parse_jsonl(origin: str, text: str) -> Iterator[RawDocument | ReadFailure]:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield _from_line(f"{origin}:{number}", line)


def parse_json(origin: str, text: str) -> Iterator[RawDocument | ReadFailure]:
    """One object, or a list of them (origins ``file.json[0]``, ``[1]``…)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ReadFailure(origin, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        yield ReadFailure(origin, "invalid JSON: nested too deeply")
        return
    if isinstance(data, list):
        if not data:
            yield ReadFailure(origin, "empty JSON list: no articles in it")
        for index, item in enumerate(data):
            yield record(f"{origin}[{index}]", item)
    else:
        yield record(origin, data)


def _from_line(origin: str, line: str) -> RawDocument | ReadFailure:
    try:
        return record(origin, json.loads(line))
    except json.JSONDecodeError as exc:
        return ReadFailure(origin, f"invalid JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return ReadFailure(origin, "invalid JSON: nested too deeply")


def record(origin: str, obj) -> RawDocument | ReadFailure:
    """A RawDocument from one JSON object: ``text``/``content`` or ``html``,
    and metadata fields that must be strings (or numbers)."""
    if not isinstance(obj, dict):
        return ReadFailure(origin, f"expected a JSON object, got {_kind(obj)}")
    try:
        key, body = _body(obj)
        fields = {k: _scalar(k, obj[k]) for k in FIELD_NAMES if _given(obj.get(k))}
        published = next((k for k in PUBLISHED_ALIASES if _given(obj.get(k))), None)
        if published is not None:
            fields["published"] = _scalar(published, obj[published])
    except BadRecord as exc:
        return ReadFailure(origin, str(exc))
    if key == "html":
        return RawDocument(origin, html=body, fields=fields)
    return RawDocument(origin, text=body, fields=fields)


def _body(obj: dict) -> tuple[str, str]:
    for key in BODY_FIELDS:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadRecord(f"'{key}' must be a string, got {_kind(value)}")
        if value.strip():
            return key, _valid(key, value)
    raise BadRecord("no article text: needs a non-empty 'text', 'content' or 'html' field")


def _given(value) -> bool:
    return value not in (None, "")


def _scalar(key: str, value) -> str:
    """A metadata field as text: a string, or a number (``"id": 7``)."""
    if isinstance(value, str):
        return _valid(key, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise BadRecord(f"'{key}' must be a string, got {_kind(value)}")


def _valid(key: str, value: str) -> str:
    """Refuse text no store can hold: a lone surrogate (``"\\ud800"`` in the
    JSON, half of a pair) is not a character."""
    match = LONE_SURROGATE.search(value)
    if match:
        raise BadRecord(f"'{key}' is not valid Unicode: lone surrogate \\u{ord(match.group()):04x} "
                        f"at character {match.start() + 1}")
    return value


def _kind(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    names = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
