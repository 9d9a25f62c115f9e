"""The short answer inside a quoted sentence: the date for «متى», the
number with its unit for «كم», the named person or body for «من», the
place for «أين».  Always a slice of the quoted sentence, in its own
spelling («26 من شهر أيار/ مايو»), or None.

    found = short_answer("when", sentences)   # (text, sentence) or None
"""

from __future__ import annotations

from index import arabic
from index.chunk import Span

from . import rules
from .attribution import Token, tokens_of
from .candidates import Sentence
from .features import date_precision
from .question import is_month, is_year, word_keys

DATE_FILLERS = frozenset({"من", "شهر", "الشهر", "عام", "العام", "سنه"})  # «26 من شهر أيار»
DATE_TAILS = frozenset({"القادم", "المقبل", "الماضي", "الجاري"})
UNIT_TOKENS = 2  # words after a number that name what is counted («ثلاثة ملايين جرعة»)
NAME_TOKENS = 3  # words after a title that name the person («رئيس مجلس الشعب»)


def short_answer(kind: str, sentences: list[Sentence], asked_keys: frozenset[str] = frozenset()):
    """(text, sentence) of the short answer, or None."""
    find = _FINDERS.get(kind)
    if find is None:
        return None
    if kind == "when":  # the most exact date of any quoted sentence
        sentences = sorted(sentences, key=lambda s: -date_precision(s.tokens))
    for sentence in sentences:
        tokens = tokens_of(sentence.article.text, Span(sentence.start, sentence.end))
        span = find(tokens, asked_keys)
        if span is not None:
            return sentence.article.text[span[0]:span[1]], sentence
    return None


def _date(tokens: list[Token], asked_keys) -> tuple[int, int] | None:
    """The most exact date: [weekday] [day] [من شهر] month [/ month] [year], or a year."""
    best, level = None, 0
    for i, token in enumerate(tokens):
        if is_month(token.norm):
            first, last = _expand_date(tokens, i)
            found = 3 if any(t.norm.isdigit() and 1 <= int(t.norm) <= 31 for t in tokens[first:last + 1]) else 2
        elif is_year(token.norm):
            first = i - 1 if i and tokens[i - 1].norm in DATE_FILLERS else i  # «عام 2015»
            last, found = i, 1
        else:
            continue
        if found > level:
            best, level = (tokens[first].start, tokens[last].end), found
    return best


def _expand_date(tokens: list[Token], i: int) -> tuple[int, int]:
    first = i
    while first > 0 and (tokens[first - 1].norm in DATE_FILLERS or tokens[first - 1].norm.isdigit()
                         or word_keys(tokens[first - 1].norm) & rules.WEEKDAYS) and i - first < 4:
        first -= 1
    while first < i and tokens[first].norm in DATE_FILLERS:
        first += 1  # a date does not start with «من»
    last = i
    while last + 1 < len(tokens) and last - i < 3 and (is_month(tokens[last + 1].norm) or is_year(tokens[last + 1].norm)
                                                     or tokens[last + 1].norm in DATE_TAILS):
        last += 1
    return first, last


def _number(tokens: list[Token], asked_keys) -> tuple[int, int] | None:
    """A number (digits or words) with the words naming what it counts;
    the one next to an asked word first."""
    numbers = [i for i, t in enumerate(tokens) if _is_number(t.norm)]
    if not numbers:
        return None
    near = [i for i in numbers if any(word_keys(t.norm) & asked_keys for t in tokens[max(0, i - 2):i + 3])]
    i = (near or numbers)[0]
    last = i
    while last + 1 < len(tokens) and _is_number(tokens[last + 1].norm):
        last += 1  # «اثنا عشر», «3 ملايين»
    for j in range(last + 1, min(len(tokens), last + 1 + UNIT_TOKENS)):
        if tokens[j].norm in arabic.STOPWORDS:
            break
        last = j
        if word_keys(tokens[j].norm) & rules.UNIT_WORDS:
            continue
        break
    return tokens[i].start, tokens[last].end


def _is_number(norm: str) -> bool:
    bare = norm[1:] if norm[:1] in rules.CONJUNCTIONS and len(norm) > 3 else norm
    return any(c.isdigit() for c in norm) or bare in rules.NUMBER_WORDS


def _who(tokens: list[Token], asked_keys) -> tuple[int, int] | None:
    """A titled person or body not asked about: «رئيس مجلس الشعب … حمودة الصباغ»."""
    for i, token in enumerate(tokens):
        keys = word_keys(token.norm)
        if keys & rules.PERSON_WORDS and not keys & asked_keys:
            last = min(len(tokens) - 1, i + NAME_TOKENS - 1)
            while last > i and tokens[last].norm in arabic.STOPWORDS:
                last -= 1
            return token.start, tokens[last].end
    return None


def _where(tokens: list[Token], asked_keys) -> tuple[int, int] | None:
    """A place not asked about, with the word before it when that names the
    kind of place: «مدينة الحلة», «جنوب بغداد»."""
    for i, token in enumerate(tokens):
        keys = word_keys(token.norm)
        if keys & rules.PLACE_WORDS and not keys & asked_keys:
            last = i + 1 if i + 1 < len(tokens) and tokens[i + 1].norm not in arabic.STOPWORDS else i
            return token.start, tokens[last].end
    return None


_FINDERS = {"when": _date, "count": _number, "who": _who, "where": _where}
