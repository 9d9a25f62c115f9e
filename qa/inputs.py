"""What a caller passes beside a question (history, sources, a date range),
checked before anything runs: a wrong type or an impossible date is one
clear line (Arabic first), never a Python error from deep inside or a
silently empty answer.

The HTTP API hands these values over from JSON as they come, so every
function here takes any type.
"""

from __future__ import annotations

import calendar
import re

from .retrieve import Filters

DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
DATE_NAMES = {"since": "تاريخ البداية", "until": "تاريخ النهاية"}


class InputError(ValueError):
    """A history, source list or date that cannot be used; the message says why."""


def history(value) -> list | None:
    """Earlier turns: ``(question, answer)`` pairs or ``{"role", "content"}``
    messages (the web chat's), in a list."""
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return None
    if not isinstance(value, (list, tuple)):
        raise InputError(f"سجل المحادثة غير صالح (history must be a list of [question, answer] pairs or "
                         f"{{\"role\", \"content\"}} messages, not {_kind(value)})")
    for n, turn in enumerate(value):
        if isinstance(turn, dict) and isinstance(turn.get("role"), str) and isinstance(turn.get("content"), str):
            continue
        if (isinstance(turn, (list, tuple)) and len(turn) == 2 and isinstance(turn[0], str)
                and (turn[1] is None or isinstance(turn[1], str))):
            continue
        raise InputError(f"سجل المحادثة غير صالح (history[{n}] must be a [question, answer] pair of strings "
                         f"or a {{\"role\", \"content\"}} message, not {_kind(turn)})")
    return list(value)


def sources(value) -> list[str] | None:
    """Source names; one name on its own is one source, not its letters."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise InputError(f"المصادر غير صالحة (sources must be a list of source names, not {_kind(value)})")
    for n, name in enumerate(value):
        if not isinstance(name, str):
            raise InputError(f"المصادر غير صالحة (sources[{n}] must be a source name, not {_kind(name)})")
    names = [" ".join(name.split()) for name in value if name.strip()]
    return names or None


def day(value, name: str, end: bool = False) -> int | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as YYYYMMDD (``end``: the
    last day of a year or month); None when not given."""
    arabic = DATE_NAMES.get(name, name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{arabic} غير صالح ({name} must be a date written as text, YYYY, YYYY-MM or "
                         f"YYYY-MM-DD, not {_kind(value)}: {value!r})")
    text = value.strip()
    if not text:
        return None
    match = DATE.fullmatch(text)
    if not match:
        raise InputError(f"{arabic} غير صالح ({name} {text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, dom = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise InputError(f"{arabic} غير صالح ({name} {text!r}: there is no month {month})")
    last = calendar.monthrange(year, month or (12 if end else 1))[1]
    if dom is not None and not 1 <= dom <= last:
        raise InputError(f"{arabic} غير صالح ({name} {text!r}: {calendar.month_name[month]} {year} "
                         f"has {last} days)")
    month = month or (12 if end else 1)
    dom = dom or (last if end else 1)
    return year * 10000 + month * 100 + dom


def filters(source_names, since, until) -> Filters:
    """The retrieval filters, every part checked."""
    first, last = day(since, "since"), day(until, "until", end=True)
    if first is not None and last is not None and first > last:
        raise InputError(f"تاريخ البداية بعد تاريخ النهاية (since {since.strip()} is after until {until.strip()})")
    return Filters(sources=sources(source_names), since=first, until=last)


def _kind(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    names = {dict: "an object", list: "a list", tuple: "a list", str: "a string", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
