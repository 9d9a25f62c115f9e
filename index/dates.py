"""Days an article names relative to its own date: «اليوم الاثنين»،
«أمس الأحد»، «أول أمس»، «غداً»، «الأحد الماضي», resolved against the day
it was published, so that «متى…» can be answered with a calendar date and
two reports can be put in the order of the events they tell.

    relative_days("وقال أمس الأحد إن…", date(2015, 8, 10))
    # [Mention(start=5, end=13, day=date(2015, 8, 9), text="أمس الأحد")]

The patterns are ``index/rules.py`` (RELATIVE_DAY_PATTERNS).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from index import rules

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    day: dt.date
    text: str


def published_day(value) -> dt.date | None:
    """The day of an ISO ``published`` (date or datetime); None otherwise."""
    match = _ISO.match(str(value or ""))
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def relative_days(text: str, published: dt.date | str | None) -> list[Mention]:
    """Every relative day in ``text``, in order, resolved against ``published``."""
    base = published if isinstance(published, dt.date) else published_day(published)
    if base is None or not text:
        return []
    found: list[Mention] = []
    for pattern, shift in rules.RELATIVE_DAY_PATTERNS:
        for match in pattern.finditer(text):
            if any(m.start <= match.start() < m.end for m in found):
                continue
            day = _resolve(base, shift, match)
            if day is not None:
                found.append(Mention(match.start(), match.end(), day, match.group().strip()))
    return sorted(found, key=lambda m: m.start)


def _resolve(base: dt.date, shift: int | None, match: re.Match) -> dt.date | None:
    named = match.groupdict().get("wd")
    weekday = rules.WEEKDAY_NUMBERS.get(named) if named else None
    if shift is None:  # «الأحد الماضي» / «الأحد المقبل»
        if rules.PAST_DIRECTION.match(match.group("dir")):
            return base - dt.timedelta(days=((base.weekday() - weekday) % 7) or 7)
        return base + dt.timedelta(days=((weekday - base.weekday()) % 7) or 7)
    day = base + dt.timedelta(days=shift)
    if weekday is None or day.weekday() == weekday:
        return day
    # the report names the weekday: trust it when it is within a day or two
    for pull in range(1, rules.WEEKDAY_PULL + 1):
        for candidate in (day - dt.timedelta(days=pull), day + dt.timedelta(days=pull)):
            if candidate.weekday() == weekday:
                return candidate
    return day


def event_day(text: str, published) -> dt.date | None:
    """The day a sentence's event happened: its first relative day, else the
    article's published day."""
    found = relative_days(text, published)
    if found:
        return found[0].day
    return published if isinstance(published, dt.date) else published_day(published)
