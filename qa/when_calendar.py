"""Calendar dates in a question (``qa/when.py``): numeric dates, Hijri dates
(Umm al-Qura, by ``hijridate``), Gregorian days and months (with «من 9 إلى
10 أغسطس» ranges) and years.  Each matcher adds what it finds to the reading."""

from __future__ import annotations

import calendar
import datetime as dt

from . import time_rules as R
from .when_tokens import Found, Reading, era_end, is_in

def numeric_dates(reading: Reading) -> None:
    for i, token in enumerate(reading.tokens):
        if token.norm == "<date>" and token.number:
            day = dt.date.fromordinal(token.number)
            reading.found.append(Found(i, era_end(reading, i, R.GREGORIAN_ERA), day, day))


def hijri_dates(reading: Reading) -> None:
    """«25 شوال 1436 هـ»، «شوال 1436»، «25 شوال»، «1436 هـ»."""
    tokens = reading.tokens
    for i in range(len(tokens)):
        if reading.taken(i):
            continue
        month, width = _hijri_month(reading, i)
        if month:
            _hijri_at(reading, i, month, width)
        elif tokens[i].number and 1300 <= tokens[i].number <= 1500 and is_in(reading, i + 1, R.HIJRI_ERA):
            _add_hijri(reading, i - (1 if is_in(reading, i - 1, R.YEAR_WORDS) else 0), i + 1, tokens[i].number, None, None)


def _hijri_at(reading: Reading, i: int, month: int, width: int) -> None:
    tokens = reading.tokens
    day = tokens[i - 1].number if i > 0 and tokens[i - 1].number and 1 <= tokens[i - 1].number <= 30 else None
    year_at = i + width
    year = tokens[year_at].number if year_at < len(tokens) and tokens[year_at].number and \
        1300 <= tokens[year_at].number <= 1500 else None
    word = tokens[i].norm
    if word in R.HIJRI_NEEDS_NUMBER and day is None and year is None and not is_in(reading, i - 1, R.MONTH_WORD):
        return
    first = i - 1 if day is not None else i - (1 if is_in(reading, i - 1, R.MONTH_WORD) else 0)
    last = year_at if year is not None else i + width - 1
    if year is not None and is_in(reading, last + 1, R.HIJRI_ERA):
        last += 1
    _add_hijri(reading, first, last, year, month, day)


def _add_hijri(reading: Reading, first: int, last: int, year, month, day) -> None:
    from hijridate import Gregorian, Hijri

    today_h = Gregorian.fromdate(reading.today).to_hijri()
    try:
        if year is None:  # «25 شوال»: the latest such date on or before today
            year = today_h.year if (month, day or 1) <= (today_h.month, today_h.day) else today_h.year - 1
        if day is not None:
            since = until = Hijri(year, month, day).to_gregorian()
            shown = f"{day} {_hijri_name(month)} {year} هـ"
        elif month is not None:
            since = Hijri(year, month, 1).to_gregorian()
            until = since + dt.timedelta(days=Hijri(year, month, 1).month_length() - 1)
            shown = f"{_hijri_name(month)} {year} هـ"
        else:
            since = Hijri(year, 1, 1).to_gregorian()
            until = Hijri(year + 1, 1, 1).to_gregorian() - dt.timedelta(days=1)
            shown = f"{year} هـ"
    except (ValueError, OverflowError):  # outside Umm al-Qura's table, or no such day
        return
    since, until = (dt.date(d.year, d.month, d.day) for d in (since, until))  # plain dates, not hijridate's
    reading.found.append(Found(first, last, since, until, shown))
    _take_correspondence(reading, last)


def _take_correspondence(reading: Reading, last: int) -> None:
    """«… هـ الموافق 10 أغسطس 2015 م»: the Gregorian twin is the same day,
    consumed with it rather than read twice."""
    if is_in(reading, last + 1, R.CORRESPONDS):
        reading.found[-1].last = last + 1


HIJRI_NAMES = ("محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
               "رمضان", "شوال", "ذو القعدة", "ذو الحجة")


def _hijri_name(month: int) -> str:
    return HIJRI_NAMES[month - 1]


def _hijri_month(reading: Reading, i: int) -> tuple[int | None, int]:
    word = reading.tokens[i].norm
    if word not in R.HIJRI_MONTHS:
        return None, 0
    seconds = R.HIJRI_SECOND_WORDS.get(word)
    if seconds:
        nxt = reading.tokens[i + 1].norm if i + 1 < len(reading.tokens) else ""
        return (seconds[nxt], 2) if nxt in seconds else (None, 0)
    return R.HIJRI_MONTHS[word], 1


def gregorian_dates(reading: Reading) -> None:
    """«10 أغسطس 2015»، «10 أغسطس»، «أغسطس 2015»، «في أغسطس»، «تشرين الأول»."""
    tokens = reading.tokens
    for i in range(len(tokens)):
        if reading.taken(i):
            continue
        month, width = _gregorian_month(reading, i)
        if not month:
            continue
        day = tokens[i - 1].number if i > 0 and tokens[i - 1].number and 1 <= tokens[i - 1].number <= 31 \
            and not reading.taken(i - 1) else None
        year_at = i + width
        if year_at < len(tokens) and tokens[year_at].norm in R.YEAR_WORDS:
            year_at += 1
        year = tokens[year_at].number if year_at < len(tokens) and tokens[year_at].number and \
            1900 <= tokens[year_at].number <= 2100 else None
        if tokens[i].norm in R.NEEDS_NUMBER and day is None and year is None:
            continue
        first = i - 1 if day is not None else i - (1 if is_in(reading, i - 1, R.MONTH_WORD) else 0)
        if first > 0 and tokens[first - 1].norm in R.EVENT_NOUNS:
            continue
        since, until = _gregorian_span(reading.today, year, month, day)
        if since is not None:
            _range_start(reading, first, since, until)


def _range_start(reading: Reading, first: int, since: dt.date, until: dt.date) -> None:
    """«من 9 إلى 10 أغسطس»، «بين 9 و10 أغسطس»: a bare day before the date
    shares its month and year."""
    tokens = reading.tokens
    start, day = first, None
    if first >= 2 and tokens[first - 1].norm in R.RANGE_TO and tokens[first - 2].number:
        start, day = first - 2, tokens[first - 2].number
    elif first >= 1 and tokens[first].norm.startswith("و") and tokens[first - 1].number:
        start, day = first - 1, tokens[first - 1].number  # «و10» is one token
    if day is not None and 1 <= day < since.day:
        since = since.replace(day=day)
        if start >= 1 and tokens[start - 1].norm in R.RANGE_FROM:
            start -= 1
    else:
        start = first
    reading.found.append(Found(start, _last_of(reading, first, until), since, until))


def _last_of(reading: Reading, first: int, until: dt.date) -> int:
    """The last token of the date starting at ``first`` (its day, month and year)."""
    i = first
    tokens = reading.tokens
    while i + 1 < len(tokens) and (tokens[i + 1].number is not None or tokens[i + 1].norm in R.GREGORIAN_MONTHS
                                   or tokens[i + 1].norm in R.YEAR_WORDS or tokens[i + 1].norm in R.GREGORIAN_ERA
                                   or tokens[i + 1].norm in ("الاول", "الثاني")) and i - first < 4:
        if tokens[i + 1].number is not None and not (1900 <= tokens[i + 1].number <= 2100) and i > first:
            break
        i += 1
    return i


def _gregorian_month(reading: Reading, i: int) -> tuple[int | None, int]:
    word = reading.tokens[i].norm
    nxt = reading.tokens[i + 1].norm if i + 1 < len(reading.tokens) else ""
    if (word, nxt) in R.LEVANTINE_PAIRS:
        return R.LEVANTINE_PAIRS[(word, nxt)], 2
    if word in R.GREGORIAN_MONTHS:
        width = 2 if nxt in R.GREGORIAN_MONTHS else 1  # «آب/ أغسطس»
        return R.GREGORIAN_MONTHS[word], width
    return None, 0


def _gregorian_span(today: dt.date, year, month, day):
    if year is None:  # the latest such month or day on or before today
        year = today.year if (month, day or 1) <= (today.month, today.day) else today.year - 1
    try:
        if day is not None:
            d = dt.date(year, month, day)
            return d, d
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1), dt.date(year, month, last)
    except ValueError:
        return None, None


def years(reading: Reading) -> None:
    """«عام 2015»، «سنة 2015»، «في 2015»."""
    tokens = reading.tokens
    for i, token in enumerate(tokens):
        if reading.taken(i) or not token.number or not 1900 <= token.number <= 2100:
            continue
        named = is_in(reading, i - 1, R.YEAR_WORDS)
        if named or is_in(reading, i - 1, frozenset({"في", "خلال", "منذ"})) or is_in(reading, i + 1, R.GREGORIAN_ERA):
            first = i - 1 if named else i
            reading.found.append(Found(first, era_end(reading, i, R.GREGORIAN_ERA),
                                        dt.date(token.number, 1, 1), dt.date(token.number, 12, 31)))
