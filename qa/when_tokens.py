"""The tokens of a question as ``qa/when.py``'s matchers read them: each
word in ``index.arabic`` search spelling with its place in the text, numeric
dates («2015/8/10») as one token, and the state of one reading (what has
been found so far)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from index import arabic

from . import time_rules as R

_TOKEN = re.compile(r"[^\s\u060C,.:;\u061B!?\u061F()\[\]«»“”\"'/\-–—]+")
_NUMERIC = [  # numeric dates, matched on the raw text before tokens (they hold «/» and «-»)
    (re.compile(r"(?<!\d)(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?!\d)"), ("d", "m", "y")),
]
_GLUED_ERA = re.compile(r"(\d{4})(ه|م)")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")



@dataclass
class Token:
    norm: str
    start: int
    end: int
    number: int | None = None  # a day or year written in digits


@dataclass
class Found:
    first: int  # token range [first, last]
    last: int
    since: dt.date | None
    until: dt.date | None
    hijri: str | None = None


@dataclass
class Reading:
    tokens: list[Token]
    today: dt.date
    found: list[Found] = field(default_factory=list)

    def taken(self, i: int) -> bool:
        return any(f.first <= i <= f.last for f in self.found)


def tokens(text: str) -> list[Token]:
    text = text.translate(_DIGITS)
    out: list[Token] = []
    spans = []
    for pattern, order in _NUMERIC:
        for m in pattern.finditer(text):
            if not any(s <= m.start() < e for s, e, _ in spans):
                spans.append((m.start(), m.end(), dict(zip(order, map(int, m.groups())))))
    for m in _TOKEN.finditer(text):
        numeric = next((s for s in spans if s[0] <= m.start() < s[1]), None)
        if numeric is not None:
            if not out or out[-1].start != numeric[0]:
                out.append(Token("<date>", numeric[0], numeric[1], numeric_value(numeric[2])))
            continue
        norm = "".join(arabic.words(m.group()))
        glued = _GLUED_ERA.fullmatch(norm)
        if glued:  # «1436هـ»: the year and its era
            out.append(Token(glued.group(1), m.start(), m.end(), int(glued.group(1))))
            out.append(Token(glued.group(2), m.end(), m.end()))
            continue
        if norm:
            digits = norm[1:] if norm[:1] == "و" and norm[1:].isdigit() else norm  # «و10»
            out.append(Token(norm, m.start(), m.end(), int(digits) if digits.isdigit() else None))
    return out


def numeric_value(parts: dict) -> int | None:
    try:
        return dt.date(parts["y"], parts["m"], parts["d"]).toordinal()
    except ValueError:
        return None


def norms(reading: Reading, i: int, n: int) -> tuple[str, ...]:
    return tuple(t.norm for t in reading.tokens[i:i + n])


def is_in(reading: Reading, i: int, words) -> bool:
    return 0 <= i < len(reading.tokens) and reading.tokens[i].norm in words


def era_end(reading: Reading, i: int, era) -> int:
    return i + 1 if is_in(reading, i + 1, era) else i


def bare(norm: str) -> str:
    """«وأمس» → «امس»: a leading و/ف/ب off a time word."""
    if norm[:1] in "وفب" and len(norm) > 3 and (norm[1:] in R.RELATIVE_DAY_WORDS or norm[1:] in R.WEEKDAYS
                                               or norm[1:] in R.RECENCY_WORDS or norm[1:] == R.LAST_WORD):
        return norm[1:]
    return norm


def strip_al(norm: str) -> str:
    return norm[2:] if norm.startswith("ال") else norm
