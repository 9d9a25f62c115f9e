"""Time in a question: the dates it names, resolved against a reference day.

«ماذا حدث أمس في اليمن؟» → yesterday; «في 10 أغسطس 2015»، «2015/8/10»،
«في أغسطس»، «عام 2015»; Hijri dates as Saudi papers write them («25 شوال
1436 هـ», converted by ``hijridate``, Umm al-Qura); «هذا الأسبوع»،
«الشهر الماضي»، «منذ ثلاثة أيام»; and the wish for the newest report
(«آخر»، «أحدث»، «مؤخراً»، «الجديد في»).

    window = parse("ماذا حدث أمس في اليمن؟", today=date(2015, 8, 11))
    window.since, window.until, window.text     # 2015-08-10, 2015-08-10, «10 أغسطس 2015»
    window.topic                                # the question without its time words

The words are ``qa/time_rules.py``; the matchers below each read one kind
of expression from the question's tokens.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from index import arabic

from . import time_rules as R

MONTH_NAMES = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
               "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
_TOKEN = re.compile(r"[^\s\u060C,.:;\u061B!?\u061F()\[\]«»“”\"'/\-–—]+")
_NUMERIC = [  # numeric dates, matched on the raw text before tokens (they hold «/» and «-»)
    (re.compile(r"(?<!\d)(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?!\d)"), ("d", "m", "y")),
]
_GLUED_ERA = re.compile(r"(\d{4})(ه|م)")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(frozen=True)
class TimeWindow:
    """The days a question is about (``since``..``until``, either may be
    open), whether it wants the newest report first, and the question with
    its time words taken out (``topic``: what retrieval looks for)."""

    since: dt.date | None = None
    until: dt.date | None = None
    latest: bool = False
    several: bool = False  # «ماذا قالت الصحف…»: several reports, each attributed
    topic: str = ""
    phrases: tuple[str, ...] = ()  # the time expressions as written
    hijri: str | None = None  # the Hijri date as asked, shown beside its Gregorian days

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None

    @property
    def text(self) -> str:
        """«10 أغسطس 2015»، «من 9 إلى 10 أغسطس 2015»، «أغسطس 2015»."""
        shown = span_text(self.since, self.until)
        return f"{shown} ({self.hijri})" if shown and self.hijri else shown

    def to_dict(self) -> dict:
        return {"since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "text": self.text or None, "latest": self.latest}


@dataclass
class _Token:
    norm: str
    start: int
    end: int
    number: int | None = None  # a day or year written in digits


@dataclass
class _Found:
    first: int  # token range [first, last]
    last: int
    since: dt.date | None
    until: dt.date | None
    hijri: str | None = None


@dataclass
class _Reading:
    tokens: list[_Token]
    today: dt.date
    found: list[_Found] = field(default_factory=list)

    def taken(self, i: int) -> bool:
        return any(f.first <= i <= f.last for f in self.found)


# ---------------------------------------------------------------- public
def parse(question: str, today: dt.date | None = None) -> TimeWindow:
    """The time window of ``question`` (an empty one when it names no time)."""
    today = today or dt.date.today()
    reading = _Reading(_tokens(question), today)
    for matcher in _MATCHERS:
        matcher(reading)
    _since(reading)
    recency = _recency(reading)
    several = any(t.norm in R.SEVERAL_SOURCES for t in reading.tokens)
    since, until = _union(reading.found)
    phrases = tuple(question[reading.tokens[f.first].start:reading.tokens[f.last].end] for f in reading.found)
    hijri = next((f.hijri for f in reading.found if f.hijri), None)
    topic = _topic(question, reading, recency)
    return TimeWindow(since, until, bool(recency), several, topic, phrases, hijri)


def today_from(value: str | dt.date | None) -> dt.date:
    """``QA_TODAY`` (YYYY-MM-DD) as a date; the real date when empty."""
    if isinstance(value, dt.date):
        return value
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"QA_TODAY {value!r} is not a date (YYYY-MM-DD)") from None


def span_text(since: dt.date | None, until: dt.date | None) -> str:
    """An Arabic reader's wording of a span of days."""
    if since is None and until is None:
        return ""
    if since is None:
        return f"حتى {day_text(until)}"
    if until is None:
        return f"منذ {day_text(since)}"
    if since == until:
        return day_text(since)
    if since.year == until.year and (since.month, since.day) == (1, 1) and (until.month, until.day) == (12, 31):
        return str(since.year)
    if (since.year, since.month) == (until.year, until.month):
        if since.day == 1 and until.day == calendar.monthrange(until.year, until.month)[1]:
            return f"{MONTH_NAMES[since.month - 1]} {since.year}"
        return f"من {since.day} إلى {until.day} {MONTH_NAMES[until.month - 1]} {until.year}"
    if since.year == until.year:
        return f"من {since.day} {MONTH_NAMES[since.month - 1]} إلى {day_text(until)}"
    return f"من {day_text(since)} إلى {day_text(until)}"


def day_text(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


# ---------------------------------------------------------------- tokens
def _tokens(text: str) -> list[_Token]:
    text = text.translate(_DIGITS)
    out: list[_Token] = []
    spans = []
    for pattern, order in _NUMERIC:
        for m in pattern.finditer(text):
            if not any(s <= m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), dict(zip(order, map(int, m.groups())))))
    for m in _TOKEN.finditer(text):
        numeric = next((s for s in spans if s[0] <= m.start() < s[1]), None)
        if numeric is not None:
            if not out or out[-1].start != numeric[0]:
                out.append(_Token("<date>", numeric[0], numeric[1], _numeric_value(numeric[2])))
            continue
        norm = "".join(arabic.words(m.group()))
        glued = _GLUED_ERA.fullmatch(norm)
        if glued:  # «1436هـ»: the year and its era
            out.append(_Token(glued.group(1), m.start(), m.end(), int(glued.group(1))))
            out.append(_Token(glued.group(2), m.end(), m.end()))
            continue
        if norm:
            digits = norm[1:] if norm[:1] == "و" and norm[1:].isdigit() else norm  # «و10»
            out.append(_Token(norm, m.start(), m.end(), int(digits) if digits.isdigit() else None))
    return out


def _numeric_value(parts: dict) -> int | None:
    try:
        return dt.date(parts["y"], parts["m"], parts["d"]).toordinal()
    except ValueError:
        return None


def _norms(reading: _Reading, i: int, n: int) -> tuple[str, ...]:
    return tuple(t.norm for t in reading.tokens[i:i + n])


# ---------------------------------------------------------------- matchers
def _numeric_dates(reading: _Reading) -> None:
    for i, token in enumerate(reading.tokens):
        if token.norm == "<date>" and token.number:
            day = dt.date.fromordinal(token.number)
            reading.found.append(_Found(i, _era_end(reading, i, R.GREGORIAN_ERA), day, day))


def _hijri_dates(reading: _Reading) -> None:
    """«25 شوال 1436 هـ»، «شوال 1436»، «25 شوال»، «1436 هـ»."""
    tokens = reading.tokens
    for i in range(len(tokens)):
        if reading.taken(i):
            continue
        month, width = _hijri_month(reading, i)
        if month:
            _hijri_at(reading, i, month, width)
        elif tokens[i].number and 1300 <= tokens[i].number <= 1500 and _is(reading, i + 1, R.HIJRI_ERA):
            _add_hijri(reading, i - (1 if _is(reading, i - 1, R.YEAR_WORDS) else 0), i + 1, tokens[i].number, None, None)


def _hijri_at(reading: _Reading, i: int, month: int, width: int) -> None:
    tokens = reading.tokens
    day = tokens[i - 1].number if i > 0 and tokens[i - 1].number and 1 <= tokens[i - 1].number <= 30 else None
    year_at = i + width
    year = tokens[year_at].number if year_at < len(tokens) and tokens[year_at].number and \
        1300 <= tokens[year_at].number <= 1500 else None
    word = tokens[i].norm
    if word in R.HIJRI_NEEDS_NUMBER and day is None and year is None and not _is(reading, i - 1, R.MONTH_WORD):
        return
    first = i - 1 if day is not None else i - (1 if _is(reading, i - 1, R.MONTH_WORD) else 0)
    last = year_at if year is not None else i + width - 1
    if year is not None and _is(reading, last + 1, R.HIJRI_ERA):
        last += 1
    _add_hijri(reading, first, last, year, month, day)


def _add_hijri(reading: _Reading, first: int, last: int, year, month, day) -> None:
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
    reading.found.append(_Found(first, last, since, until, shown))
    _take_correspondence(reading, last)


def _take_correspondence(reading: _Reading, last: int) -> None:
    """«… هـ الموافق 10 أغسطس 2015 م»: the Gregorian twin is the same day,
    consumed with it rather than read twice."""
    if _is(reading, last + 1, R.CORRESPONDS):
        reading.found[-1].last = last + 1


HIJRI_NAMES = ("محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب", "شعبان",
               "رمضان", "شوال", "ذو القعدة", "ذو الحجة")


def _hijri_name(month: int) -> str:
    return HIJRI_NAMES[month - 1]


def _hijri_month(reading: _Reading, i: int) -> tuple[int | None, int]:
    word = reading.tokens[i].norm
    if word not in R.HIJRI_MONTHS:
        return None, 0
    seconds = R.HIJRI_SECOND_WORDS.get(word)
    if seconds:
        nxt = reading.tokens[i + 1].norm if i + 1 < len(reading.tokens) else ""
        return (seconds[nxt], 2) if nxt in seconds else (None, 0)
    return R.HIJRI_MONTHS[word], 1


def _gregorian_dates(reading: _Reading) -> None:
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
        first = i - 1 if day is not None else i - (1 if _is(reading, i - 1, R.MONTH_WORD) else 0)
        last = _era_end(reading, year_at, R.GREGORIAN_ERA) if year is not None else i + width - 1
        since, until = _gregorian_span(reading.today, year, month, day)
        if since is not None:
            _range_start(reading, first, since, until)


def _range_start(reading: _Reading, first: int, since: dt.date, until: dt.date) -> None:
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
    reading.found.append(_Found(start, _last_of(reading, first, until), since, until))


def _last_of(reading: _Reading, first: int, until: dt.date) -> int:
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


def _gregorian_month(reading: _Reading, i: int) -> tuple[int | None, int]:
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


def _years(reading: _Reading) -> None:
    """«عام 2015»، «سنة 2015»، «في 2015»."""
    tokens = reading.tokens
    for i, token in enumerate(tokens):
        if reading.taken(i) or not token.number or not 1900 <= token.number <= 2100:
            continue
        named = _is(reading, i - 1, R.YEAR_WORDS)
        if named or _is(reading, i - 1, frozenset({"في", "خلال", "منذ"})) or _is(reading, i + 1, R.GREGORIAN_ERA):
            first = i - 1 if named else i
            reading.found.append(_Found(first, _era_end(reading, i, R.GREGORIAN_ERA),
                                        dt.date(token.number, 1, 1), dt.date(token.number, 12, 31)))


def _relative_days(reading: _Reading) -> None:
    """«اليوم»، «أمس»، «أول أمس»، «غداً»، «يوم الأحد»، «الأحد الماضي»."""
    tokens = reading.tokens
    for i, token in enumerate(tokens):
        if reading.taken(i):
            continue
        for pattern, shift in ((R.DAY_BEFORE_YESTERDAY, -2), (R.DAY_AFTER_TOMORROW, 2)):
            for words in pattern:
                if _norms(reading, i, len(words)) == words:
                    _add_day(reading, i, i + len(words) - 1, shift)
                    break
        if reading.taken(i):
            continue
        word = _bare(token.norm)
        if word in R.RELATIVE_DAY_WORDS and not _names_something(reading, i):
            last = i + 1 if i + 1 < len(tokens) and _bare(tokens[i + 1].norm) in R.WEEKDAYS else i
            _add_day(reading, i, last, R.RELATIVE_DAY_WORDS[word])
        elif word in R.WEEKDAYS:
            _weekday(reading, i, R.WEEKDAYS[word])


def _names_something(reading: _Reading, i: int) -> bool:
    """«صحيفة اليوم»، «اليوم السابع»: a name with «اليوم» in it."""
    if reading.tokens[i].norm != "اليوم":
        return False
    return _is(reading, i - 1, R.NOT_TODAY_BEFORE) or _is(reading, i + 1, R.NOT_TODAY_AFTER)


def _weekday(reading: _Reading, i: int, weekday: int) -> None:
    first = i - 1 if _is(reading, i - 1, frozenset({"يوم"})) else i
    back = (reading.today.weekday() - weekday) % 7
    last = i
    if _is(reading, i + 1, R.PAST_WORDS):
        back, last = back or 7, i + 1
    elif _is(reading, i + 1, R.NEXT_WORDS):
        back, last = -(((weekday - reading.today.weekday()) % 7) or 7), i + 1
    _add_day(reading, first, last, -back)


def _add_day(reading: _Reading, first: int, last: int, shift: int) -> None:
    day = reading.today + dt.timedelta(days=shift)
    reading.found.append(_Found(first, last, day, day))


def _periods(reading: _Reading) -> None:
    """«هذا الأسبوع»، «الأسبوع الماضي»، «الشهر الماضي»، «العام الحالي»."""
    tokens = reading.tokens
    for i, token in enumerate(tokens):
        unit = R.UNITS.get(token.norm)
        if reading.taken(i) or unit is None or not token.norm.startswith("ال") or token.norm in R.DUALS:
            continue
        if _is(reading, i - 1, R.THIS_WORDS):
            first, last, offset = i - 1, i, 0
        elif _is(reading, i + 1, R.THIS_WORDS):
            first, last, offset = i, i + 1, 0
        elif _is(reading, i + 1, R.PAST_WORDS):
            first, last, offset = i, i + 1, -1
        elif _is(reading, i + 1, R.NEXT_WORDS):
            first, last, offset = i, i + 1, 1
        else:
            continue
        since, until = _period(reading.today, unit, offset)
        reading.found.append(_Found(first, last, since, until))


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


def _counted(reading: _Reading) -> None:
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
                reading.found.append(_Found(i, last, day, day))
            elif word in R.SINCE_WORDS or word == R.LAST_WORD or last > i + 2 or \
                    _is(reading, last, R.PAST_WORDS | frozenset({"الاخيره", "الاخيرين", "الماضيين", "الاخيرين"})):
                reading.found.append(_Found(i, last, _shift(reading.today, unit, -n), reading.today))


def _amount(reading: _Reading, i: int):
    """(n, unit, last token) of «ثلاثة أيام»، «3 أيام»، «يومين»، «أسبوع»،
    «الأيام الثلاثة الماضية»; None when there is none at ``i``."""
    tokens = reading.tokens
    if i >= len(tokens):
        return None
    first = tokens[i].norm
    if first in R.UNITS and first in R.DUALS:
        last = i + 1 if _is(reading, i + 1, R.PAST_WORDS | frozenset({"الماضيين", "الاخيرين"})) else i
        return 2, R.UNITS[first], last
    n = tokens[i].number if tokens[i].number is not None and tokens[i].number < 1000 else R.NUMBER_WORDS.get(first)
    if n is not None and _is(reading, i + 1, frozenset(R.UNITS)):
        return n, R.UNITS[tokens[i + 1].norm], i + 1
    if first in R.UNITS and first.startswith("ال") and i + 1 < len(tokens):  # «الأيام الثلاثة الماضية»
        n = R.NUMBER_WORDS.get(_strip_al(tokens[i + 1].norm))
        if n is not None:
            last = i + 2 if _is(reading, i + 2, R.PAST_WORDS | frozenset({"الاخيره"})) else i + 1
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


def _since(reading: _Reading) -> None:
    """«منذ عام 1433 هـ»، «منذ 1 أغسطس»: from that date to today."""
    for f in reading.found:
        before = f.first - 1
        if before >= 0 and reading.tokens[before].norm in R.SINCE_WORDS and f.since <= reading.today:
            f.first, f.until = before, max(f.until, reading.today)


def _recency(reading: _Reading) -> list[int]:
    """The tokens that ask for the newest report («آخر»، «أحدث»، «مؤخراً»، «الجديد في»)."""
    tokens = reading.tokens
    out = []
    for i, token in enumerate(tokens):
        word = _bare(token.norm)
        before = _bare(tokens[i - 1].norm) if i else ""
        if word in R.RECENCY_WORDS:
            out.append(i)
        elif word == R.LAST_WORD and i + 1 < len(tokens) and (i == 0 or before in R.LAST_AFTER) \
                and not reading.taken(i):
            out.append(i)
        elif word in R.NEW_WORDS and (i == 0 or before in R.LAST_AFTER) and \
                i + 1 < len(tokens) and tokens[i + 1].norm in R.NEW_BEFORE:
            out.append(i)
    return out


_MATCHERS = (_numeric_dates, _hijri_dates, _gregorian_dates, _years, _counted, _periods, _relative_days)


# ---------------------------------------------------------------- helpers
def _is(reading: _Reading, i: int, words) -> bool:
    return 0 <= i < len(reading.tokens) and reading.tokens[i].norm in words


def _era_end(reading: _Reading, i: int, era) -> int:
    return i + 1 if _is(reading, i + 1, era) else i


def _bare(norm: str) -> str:
    """«وأمس» → «امس»: a leading و/ف/ب off a time word."""
    if norm[:1] in "وفب" and len(norm) > 3 and (norm[1:] in R.RELATIVE_DAY_WORDS or norm[1:] in R.WEEKDAYS
                                               or norm[1:] in R.RECENCY_WORDS or norm[1:] == R.LAST_WORD):
        return norm[1:]
    return norm


def _strip_al(norm: str) -> str:
    return norm[2:] if norm.startswith("ال") else norm


def _union(found: list[_Found]) -> tuple[dt.date | None, dt.date | None]:
    if not found:
        return None, None
    return min(f.since for f in found), max(f.until for f in found)


_LEAD_WORDS = frozenset({"في", "يوم", "خلال", "منذ", "بتاريخ", "تاريخ", "ليوم", "من"})


def _topic(question: str, reading: _Reading, recency: list[int]) -> str:
    """The question without its time expressions (and a «في/يوم» just before
    one), so that retrieval looks for what happened, not for «أمس»."""
    cuts = []
    for f in reading.found:
        first = f.first - 1 if f.first > 0 and reading.tokens[f.first - 1].norm in _LEAD_WORDS else f.first
        cuts.append((reading.tokens[first].start, reading.tokens[f.last].end))
    cuts += [(reading.tokens[i].start, reading.tokens[i].end) for i in recency]
    out, at = [], 0
    for start, end in sorted(cuts):
        if start >= at:
            out.append(question[at:start])
            at = end
    out.append(question[at:])
    topic = " ".join("".join(out).split())
    topic = re.sub(r"\s+([؟?،,.])", r"\1", topic)
    return topic if arabic.content_terms(topic) else question
