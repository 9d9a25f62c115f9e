"""What the time a question names does to retrieval and to the answer:

- its window narrows the date filter (intersected with any the caller gave);
- «آخر/أحدث…» puts the relevant articles newest first, so the answer comes
  from the latest report rather than from whichever day scores best;
- a window that holds nothing relevant is said so, and the newest relevant
  report outside it is offered instead of an answer from another period.

    filters = narrow(filters, window)
    passages = newest_first(passages, topic, idf)
    answer = outside_window(answer, window, newest)
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from index.dates import published_day

from . import confidence
from .answer import Answer, Passage, Suggestion
from .retrieve import Filters
from .when import TimeWindow, day_text

# A passage is relevant to a «latest» question when its article covers this
# share of the best-covered article's (idf-weighted) question terms.  Chosen
# on the dated news benchmark (python -m bench --condition newsqa): 0.8 keeps
# the other days' reports of one story and drops the day's unrelated news.
RELEVANT_SHARE = 0.8
# «latest» questions search this many times the usual passages, so that the
# newest report is among them even when an older one words it better.
RECENCY_POOL = 3
EMPTY_WINDOW_TEXT = "لا تتضمن المقالات المنشورة في {window} إجابة عن هذا السؤال."
EMPTY_RANGE_TEXT = "لا تتضمن المقالات المنشورة {window} إجابة عن هذا السؤال."
NEWEST_TEXT = "أحدث تقرير ذي صلة: «{title}» ({meta})."


def narrow(filters: Filters, window: TimeWindow | None) -> Filters:
    """``filters`` with the window's days as well (both must hold)."""
    if window is None or not window.dated:
        return filters
    since = _day(window.since)
    until = _day(window.until)
    if filters.since is not None:
        since = max(filters.since, since) if since is not None else filters.since
    if filters.until is not None:
        until = min(filters.until, until) if until is not None else filters.until
    # undated articles stay in unless the caller's own filter left them out
    undated = filters.since is None and filters.until is None
    return dataclasses.replace(filters, since=since, until=until, undated=undated)


def without_window(filters: Filters, given: Filters) -> Filters:
    """The caller's own filters: the question's window taken off again."""
    return dataclasses.replace(filters, since=given.since, until=given.until, undated=given.undated)


def newest_first(passages: list[Passage], question: str, idf=None) -> list[Passage]:
    """The relevant passages newest first, then the rest; scores are handed
    out again in the new order, so the composer reads them that way too."""
    if not passages:
        return passages
    coverage = {p.chunk_id: confidence.article_coverage(question, p.article, idf) for p in passages}
    best = max(coverage.values())
    relevant = [p for p in passages if best > 0 and coverage[p.chunk_id] >= RELEVANT_SHARE * best]
    rest = [p for p in passages if p not in relevant]
    relevant.sort(key=lambda p: (published_day(p.article.published) or dt.date.min, p.score), reverse=True)
    scores = sorted((p.score for p in passages), reverse=True)
    ordered = relevant + sorted(rest, key=lambda p: -p.score)
    return [dataclasses.replace(p, score=s) for p, s in zip(ordered, scores)]


def outside_window(found: Answer, window: TimeWindow, newest: Answer | None) -> Answer:
    """The abstention for a window with nothing relevant, naming the newest
    relevant report outside it; when no period answers, the plain abstention
    of the wider search (with its nearest articles)."""
    if newest is None or newest.abstained or not newest.citations:
        return dataclasses.replace(newest, time_window=window) if newest is not None else found
    shown = window.text
    text = (EMPTY_RANGE_TEXT if shown.startswith(("من ", "منذ ", "حتى ")) else EMPTY_WINDOW_TEXT).format(window=shown)
    cited = max(newest.citations, key=lambda c: (published_day(c.published) or dt.date.min, -c.n))
    meta = "، ".join(x for x in (cited.source, _date(cited.published)) if x)
    text = f"{text} {NEWEST_TEXT.format(title=cited.title or cited.article_id, meta=meta)}"
    suggestions = [Suggestion(cited.article_id, cited.title, cited.source, cited.url, cited.published)]
    return dataclasses.replace(found, text=text, abstained=True, citations=[], suggestions=suggestions, short=None,
                               short_citation=None)


def _date(published) -> str | None:
    day = published_day(published)
    return day_text(day) if day else None


def _day(day: dt.date | None) -> int | None:
    return day.year * 10000 + day.month * 100 + day.day if day else None
