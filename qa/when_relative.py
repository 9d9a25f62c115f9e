"""Days and periods relative to the reference day (``qa/when.py``):
«اليوم»، «أمس»، «أول أمس»، «يوم الأحد»، «الأسبوع الماضي»، «منذ ثلاثة أيام»."""

from __future__ import annotations

import calendar
import datetime as dt

from . import time_rules as R
from .when_tokens import Found, Reading, bare, is_in, norms, strip_al

def relative_days(reading: Reading) -> None:
    """«اليوم»، «أمس»، «أول أمس»، «غداً»، «يوم الأحد»، «الأحد الماضي»."""
    tokens = reading.tokens
    for i, token in enumerate(tokens):
        if reading.taken(i):
            continue
        for pattern, shift in ((R.DAY_BEFORE_YESTERDAY, -2), (R.DAY_AFTER_TOMORROW, 2)):
            for words in pattern:
                if norms(reading, i, len(words)) == words:
                    _add_day(reading, i, i + len(words) - 1, shift)
                    break
        if reading.taken(i):
            continue
        word = bare(token.norm)
        if word in R.RELATIVE_DAY_WORDS and not _names_something(reading, i):
            last = i + 1 if i + 1 < len(tokens) and bare(tokens[i + 1].norm) in R.WEEKDAYS else i
            _add_day(reading, i, last, R.RELATIVE_DAY_WORDS[word])
        elif word in R.WEEKDAYS:
            _weekday(reading, i, R.WEEKDAYS[word])


def _names_something(reading: Reading, i: int) -> bool:
    """«صحيفة اليوم»، «اليوم السابع»: a name with «اليوم» in it."""
    if reading.tokens[i].norm != "اليوم":
        return False
    return is_in(reading, i - 1, R.NOT_TODAY_BEFORE) or is_in(reading, i + 1, R.NOT_TODAY_AFTER)


def _weekday(reading: Reading, i: int, weekday: int) -> None:
    first = i - 1 if is_in(reading, i - 1, frozenset({"يوم"})) else i
    back = (reading.today.weekday() - weekday) % 7
    last = i
    if is_in(reading, i + 1, R.PAST_WORDS):
        back, last = back or 7, i + 1
    elif is_in(reading, i + 1, R.NEXT_WORDS):
        back, last = -(((weekday - reading.today.weekday()) % 7) or 7), i + 1
    _add_day(reading, first, last, -back)


def _add_day(reading: Reading, first: int, last: int, shift: int) -> None:
    day = reading.today + dt.timedelta(days=shift)
    reading.found.append(Found(first, last, day, day))


def periods(reading: Reading) -> None:
    """«هذا الأسبوع»، «الأسبوع الماضي»، «الشهر الماضي»، «العام الحالي»."""
    tokens = reading.tokens
    for i, token in enumerate(tokens):
        unit = R.UNITS.get(token.norm)
        if reading.taken(i) or unit is None or not token.norm.startswith("ال") or token.norm in R.DUALS:
            continue
        if is_in(reading, i - 1, R.THIS_WORDS):
            first, last, offset = i - 1, i, 0
        elif is_in(reading, i + 1, R.THIS_WORDS):
            first, last, offset = i, i + 1, 0
        elif is_in(reading, i + 1, R.PAST_WORDS):
            first, last, offset = i, i + 1, -1
        elif is_in(reading, i + 1, R.NEXT_WORDS):
            first, last, offset = i, i + 1, 1
        else:
            continue
        since, until = _period(reading.today, unit, offset)
        reading.found.append(Found(first, last, since, until))


def _period(today: dt.date, unit: str, offset: int) -> tuple[dt.date, dt.date]:
    """The calendar ``unit`` ``offset`` units from today's; the current one ends today."""
    if unit == "day":
        d = today + dt.timedelta(days=offset)
        return d, d
    if unit == "week":  # Saudi weeks run from Sunday to Saturday
        start = today - dt.timedelta(days=(today.weekday() + 1) % 7) + dt.timedelta(weeks=offset)
        end = start + dt.timedelta(days=6)
    elif unit == "month":
        year, month = divmod(today.year * 12 + today.month - 1 + offset, 12)
        start = dt.date(year, month + 1, 1)
        end = dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])
    else:
        start, end = dt.date(today.year + offset, 1, 1), dt.date(today.year + offset, 12, 31)
    return start, min(end, today) if offset == 0 else end


def counted(reading: Reading) -> None:
    """«منذ ثلاثة أيام»، «قبل يومين»، «خلال الأيام الثلاثة الماضية»، «آخر أسبوعين»."""
    tokens = reading.tokens
    for i, token in enumerate(tokens):
        if reading.taken(i):
            continue
        word = token.norm
        if word in R.SINCE_WORDS or word in R.AGO_WORDS or word in R.DURING_WORDS or word in ("في", R.LAST_WORD):
            found = _amount(reading, i + 1)
            if found is None:
                continue
            n, unit, last = found
            if word in R.AGO_WORDS:
                day = _shift(reading.today, unit, -n)
                reading.found.append(Found(i, last, day, day))
            elif word in R.SINCE_WORDS or word == R.LAST_WORD or last > i + 2 or \
                    is_in(reading, last, R.PAST_WORDS | frozenset({"الاخيره", "الاخيرين", "الماضيين", "الاخيرين"})):
                reading.found.append(Found(i, last, _shift(reading.today, unit, -n), reading.today))


def _amount(reading: Reading, i: int):
    """(n, unit, last token) of «ثلاثة أيام»، «3 أيام»، «يومين»، «أسبوع»،
    «الأيام الثلاثة الماضية»; None when there is none at ``i``."""
    tokens = reading.tokens
    if i >= len(tokens):
        return None
    first = tokens[i].norm
    if first in R.UNITS and first in R.DUALS:
        last = i + 1 if is_in(reading, i + 1, R.PAST_WORDS | frozenset({"الماضيين", "الاخيرين"})) else i
        return 2, R.UNITS[first], last
    n = tokens[i].number if tokens[i].number is not None and tokens[i].number < 1000 else R.NUMBER_WORDS.get(first)
    if n is not None and is_in(reading, i + 1, frozenset(R.UNITS)):
        return n, R.UNITS[tokens[i + 1].norm], i + 1
    if first in R.UNITS and first.startswith("ال") and i + 1 < len(tokens):  # «الأيام الثلاثة الماضية»
        n = R.NUMBER_WORDS.get(strip_al(tokens[i + 1].norm))
        if n is not None:
            last = i + 2 if is_in(reading, i + 2, R.PAST_WORDS | frozenset({"الاخيره"})) else i + 1
            return n, R.UNITS[first], last
    if first in R.UNITS and not first.startswith("ال") and first not in R.DUALS and \
            not (i + 1 < len(tokens) and tokens[i + 1].number):  # «منذ عام 1433»: a year, not "a year ago"
        return 1, R.UNITS[first], i  # «منذ أسبوع»
    return None


def _shift(today: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return today + dt.timedelta(days=n)
    if unit == "week":
        return today + dt.timedelta(weeks=n)
    if unit == "month":
        year, month = divmod(today.year * 12 + today.month - 1 + n, 12)
        return dt.date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))
    return today.replace(year=today.year + n) if not (today.month == 2 and today.day == 29) else \
        dt.date(today.year + n, 2, 28)
