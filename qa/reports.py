"""Dated, attributed answers across reports (the extractive composer's part
of time):

- each quote can carry who published it and when: «بحسب الرياض (10 أغسطس 2015): …»;
- «آخر/أحدث…» answers from the newest relevant report, and says what an
  older one reported when the figures have changed since;
- «ماذا قالت الصحف عن…» quotes several reports, newest first, each
  attributed, and says when they differ;
- «متى…» answered by «أمس الأحد» gets the calendar day as well.

The day of a quote is the day its event happened when the article names it
(«أمس الأحد», ``index.dates``), else the article's published day.
"""

from __future__ import annotations

import datetime as dt

from index.dates import event_day, published_day, relative_days

from .candidates import Sentence
from .facts import near_duplicate, same_facts
from .when import day_text

DATED_PREFIX = "بحسب {}:"
EARLIER_PREFIX = "وقبل ذلك، بحسب {}:"
DIFFER_TEXT = "تختلف التقارير:"
# A report of its own: an article whose best sentence has this share of the
# best sentence's (idf-weighted) question terms, and at least this chance of
# holding the answer.  The scorer's chances are shared out among the
# candidates, so a near copy of the best sentence in another paper gets far
# less than it: coverage, not the chance, says it is about the same thing.
# The newest such report answers «آخر…»; up to max_answer_sentences of them
# answer «ماذا قالت الصحف…».  Checked on the newsqa benchmark.
REPORT_COVERAGE = 0.8
REPORT_MIN_CHANCE = 0.02


def label(sentence: Sentence) -> str:
    """«الرياض (10 أغسطس 2015)»; the source or the date alone when only one is known."""
    article = sentence.article
    day = published_day(article.published)
    name = article.source or (f"«{article.title}»" if article.title else "")
    if day is None:
        return name
    return f"{name} ({day_text(day)})" if name else day_text(day)


def day_of(sentence: Sentence) -> tuple[dt.date, dt.date]:
    """(the day of its event, the day it was published): what orders reports,
    the later report of one event after the earlier."""
    published = published_day(sentence.article.published) or dt.date.min
    return event_day(sentence.text, sentence.article.published) or dt.date.min, published


def reports(ranked: list[Sentence]) -> list[Sentence]:
    """The best sentence of each article that is about what the best one is
    about (REPORT_COVERAGE), best first; the best sentence always."""
    if not ranked:
        return []
    top = ranked[0]
    floor = REPORT_COVERAGE * top.features.get("coverage", 0.0)
    seen, out = {top.article.id}, [top]
    for sentence in ranked[1:]:
        if sentence.article.id in seen or sentence.score < REPORT_MIN_CHANCE:
            continue
        if floor > 0 and sentence.features.get("coverage", 0.0) >= floor:
            seen.add(sentence.article.id)
            out.append(sentence)
    return out


def newest(ranked: list[Sentence]) -> list[Sentence]:
    """``ranked`` with the newest report's best sentence first."""
    found = reports(ranked)
    if not found:
        return ranked
    top = max(found, key=lambda s: (day_of(s), s.score))
    return [top, *(s for s in ranked if s is not top)]


def changed(top: Sentence, ranked: list[Sentence]) -> Sentence | None:
    """An older report of the same thing with other figures («قتل 15» → «قتل 12»)."""
    mine = day_of(top)
    for other in reports(ranked):
        if other.article.id != top.article.id and day_of(other) < mine \
                and near_duplicate(top.content, other.content) and not same_facts(top.text, other.text):
            return other
    return None


def several(ranked: list[Sentence], limit: int) -> tuple[list[Sentence], bool]:
    """Up to ``limit`` reports, newest first, and whether any two differ in
    their figures, places or polarity."""
    found = reports(ranked)[:max(1, limit)]
    found.sort(key=lambda s: (day_of(s), s.score), reverse=True)
    found = found[:1] + [counterpart(found[0], s, ranked) for s in found[1:]]
    differ = any(near_duplicate(a.content, b.content) and not same_facts(a.text, b.text)
                 for i, a in enumerate(found) for b in found[i + 1:])
    return found, differ


def counterpart(top: Sentence, chosen: Sentence, ranked: list[Sentence]) -> Sentence:
    """The sentence of ``chosen``'s report that tells ``top``'s news with other
    figures («قتل 13…» against «قتل 15…»), when there is one: that is what a
    reader comparing the papers needs, even where the scorer put another
    sentence of that report first."""
    return next((s for s in ranked if s.article.id == chosen.article.id
                 and near_duplicate(top.content, s.content) and not same_facts(top.text, s.text)), chosen)


def spans_days(sentences: list[Sentence]) -> bool:
    """Whether the quotes come from reports of at least two different days."""
    days = {published_day(s.article.published) for s in sentences}
    return len(days - {None}) >= 2


def calendar_note(sentence: Sentence) -> str | None:
    """«الأحد 9 أغسطس 2015» for a quote that dates its event relative to the
    article («أمس الأحد»); None when it names no such day."""
    found = relative_days(sentence.text, sentence.article.published)
    return day_text(found[0].day) if found else None
