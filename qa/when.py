"""Time in a question: the dates it names, resolved against a reference day.

«ماذا حدث أمس في اليمن؟» → yesterday; «في 10 أغسطس 2015»، «2015/8/10»،
«في أغسطس»، «عام 2015»; Hijri dates as Saudi papers write them («25 شوال
1436 هـ», converted by ``hijridate``, Umm al-Qura); «هذا الأسبوع»،
«الشهر الماضي»، «منذ ثلاثة أيام»; and the wish for the newest report
(«آخر»، «أحدث»، «مؤخراً»، «الجديد في»).

    window = parse("ماذا حدث أمس في اليمن؟", today=date(2015, 8, 11))
    window.since, window.until, window.text     # 2015-08-10, 2015-08-10, «10 أغسطس 2015»
    window.topic                                # the question without its time words

The words are ``qa/time_rules.py``; the matchers, each reading one kind of
expression from the question's tokens, are ``qa/when_calendar.py`` and
``qa/when_relative.py`` (tokens: ``qa/when_tokens.py``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from index import arabic

from . import time_rules as R
from .when_calendar import gregorian_dates, hijri_dates, numeric_dates, years
from .when_relative import counted, periods, relative_days
from .when_tokens import Found, Reading, bare, tokens

MONTH_NAMES = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
               "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")


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


# ---------------------------------------------------------------- public
def parse(question: str, today: dt.date | None = None) -> TimeWindow:
    """The time window of ``question`` (an empty one when it names no time)."""
    today = today or dt.date.today()
    reading = Reading(tokens(question), today)
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


def _since(reading: Reading) -> None:
    """«منذ عام 1433 هـ»، «منذ 1 أغسطس»: from that date to today."""
    for f in reading.found:
        before = f.first - 1
        if before >= 0 and reading.tokens[before].norm in R.SINCE_WORDS and f.since <= reading.today:
            f.first, f.until = before, max(f.until, reading.today)


def _recency(reading: Reading) -> list[int]:
    """The tokens that ask for the newest report («آخر»، «أحدث»، «مؤخراً»، «الجديد في»)."""
    tokens = reading.tokens
    out = []
    for i, token in enumerate(tokens):
        word = bare(token.norm)
        before = bare(tokens[i - 1].norm) if i else ""
        if word in R.RECENCY_WORDS:
            out.append(i)
        elif word == R.LAST_WORD and i + 1 < len(tokens) and (i == 0 or before in R.LAST_AFTER) \
                and not reading.taken(i):
            out.append(i)
        elif word in R.NEW_WORDS and (i == 0 or before in R.LAST_AFTER) and \
                i + 1 < len(tokens) and tokens[i + 1].norm in R.NEW_BEFORE:
            out.append(i)
    return out


_MATCHERS = (numeric_dates, hijri_dates, gregorian_dates, years, counted, periods, relative_days)


def _union(found: list[Found]) -> tuple[dt.date | None, dt.date | None]:
    if not found:
        return None, None
    return min(f.since for f in found), max(f.until for f in found)


_LEAD_WORDS = frozenset({"في", "يوم", "خلال", "منذ", "بتاريخ", "تاريخ", "ليوم", "من"})


def _topic(question: str, reading: Reading, recency: list[int]) -> str:
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
