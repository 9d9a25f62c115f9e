"""Dates as an Arabic reader writes them: «26 أبريل 2021»."""

from __future__ import annotations

import datetime as dt
import re

# The month names of Egyptian and Gulf news sites (the Levantine كانون الثاني …
# are understood too, but these are the most widely read).
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
          "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_date(value) -> dt.date | None:
    """The day of an ISO date or datetime (``2021-04-26``, ``2021-04-26T10:00``);
    None for anything else. A bare year or month is not a day."""
    match = _ISO.match(str(value or "").strip())
    if not match or not match.group(3):
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def arabic_date(value) -> str | None:
    """``2021-04-26`` → «26 أبريل 2021»; ``2021-04`` → «أبريل 2021»; None when
    there is no date, the value itself when it is not an ISO date."""
    if not value:
        return None
    day = parse_date(value)
    if day:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    match = _ISO.fullmatch(str(value).strip())
    if match and match.group(2) and not match.group(3) and 1 <= int(match.group(2)) <= 12:
        return f"{MONTHS[int(match.group(2)) - 1]} {match.group(1)}"
    return str(value)


def month_label(day: dt.date) -> str:
    """«أبريل 2021»."""
    return f"{MONTHS[day.month - 1]} {day.year}"
