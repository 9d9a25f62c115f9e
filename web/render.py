"""An answer as the chat shows it: the cited text, then one card per source
article with every quote taken from it, their dates, and a time line when
the sources span several days. Everything from articles goes through ``esc``.

Markers: the article's number, its quotes lettered (``[1أ]``, ``[1ب]``) when
it is quoted more than once, as the terminal shows them too (qa/sources.py).
"""

from __future__ import annotations

from qa.sources import MARKER, Source, group_sources, marker_labels, short_at

from .dates import arabic_date, parse_date
from .escape import esc, esc_lines, link, meta_line
from .excerpt import Mark, excerpt, locate, merge, render_excerpt, render_mark
from .wording import QUOTES, SOURCES, counted

OPEN_SOURCES = 2  # a sources panel of more articles than this starts folded
_BOLD = ("\ue000", "\ue001")  # private-use marks around the short answer, swapped for <strong> after escaping


def anchor(turn: int, n: int) -> str:
    return f"qa-src-{turn}-{int(n)}"


def render_text(text: str, markers: dict[int, str] | None = None, turn: int = 0, short: str | None = None) -> str:
    """Answer text with each ``[n]`` a link to its quote (shown as ``markers[n]``),
    and the short answer, where given, in bold."""
    markers = markers or {}
    text = text or ""
    at = short_at(text, short)
    if at is not None:
        text = f"{text[:at]}{_BOLD[0]}{short}{_BOLD[1]}{text[at + len(short):]}"
    out = []
    for i, piece in enumerate(MARKER.split(text)):
        if i % 2 == 0:
            out.append(esc_lines(piece))
        elif int(piece) in markers:
            label = esc(markers[int(piece)])
            out.append(f'<a class="qa-cite" href="#{anchor(turn, int(piece))}">&#91;{label}&#93;</a>')
        else:
            out.append(f"&#91;{piece}&#93;")
    return "".join(out).replace(_BOLD[0], "<strong>").replace(_BOLD[1], "</strong>")


def render_quotes(source: Source, passages, turn: int) -> str:
    """The source's quotes highlighted in their passages; overlapping contexts shared."""
    by_chunk = {p.chunk_id: p for p in passages or ()}
    excerpts, lone = [], []
    text = None
    for c in source.citations:
        passage = by_chunk.get(c.chunk_id)
        mark_id = anchor(turn, c.n)
        if passage is None:
            lone.append(Mark(0, 0, mark_id, source.label(c)))
            continue
        text = passage.article.text
        found = locate(text, c.quote, c.start, c.end, passage.start, passage.end)
        if found is None:
            lone.append(Mark(0, 0, mark_id, source.label(c)))
            continue
        excerpts.append(excerpt(text, passage.start, passage.end, Mark(*found, mark_id, source.label(c))))
    blocks = [render_excerpt(text, ex) for ex in merge(excerpts)] if excerpts else []
    quotes = {anchor(turn, c.n): c.quote for c in source.citations}
    for mark in lone:  # the passage is not at hand: the quote alone
        blocks.append(f"<p>{render_mark(mark, quotes[mark.anchor])}</p>")
    return "".join(f'<blockquote class="qa-passage">{b}</blockquote>' for b in blocks if b)


def render_date(published) -> str:
    shown = arabic_date(published)
    if not shown:
        return '<span class="qa-date qa-nodate">بلا تاريخ</span>'
    return f'<time class="qa-date" datetime="{esc(published)}">{esc(shown)}</time>'


def render_source(source: Source, passages, turn: int) -> str:
    c = source.first
    many = len(source.citations) > 1
    count = f' <span class="qa-count">({counted(len(source.citations), QUOTES)})</span>' if many else ""
    return (f'<li class="qa-source" value="{source.number}">'
            f'<div class="qa-source-head"><span class="qa-title"><b>{esc(c.title or c.article_id)}</b></span>{count}'
            f'<div class="qa-meta">{meta_line(c.source)}{" · " if c.source else ""}{render_date(c.published)}'
            f" {link(c.url)}</div></div>{render_quotes(source, passages, turn)}</li>")


def render_timeline(sources: list[Source]) -> str:
    """The cited articles on a line from the oldest (right) to the newest
    (left), when they were published on at least two different days."""
    dated = [(parse_date(s.first.published), s) for s in sources]
    dated = sorted(((d, s) for d, s in dated if d), key=lambda item: (item[0], item[1].number))
    if len({d for d, _ in dated}) < 2:
        return ""
    first, span = dated[0][0], (dated[-1][0] - dated[0][0]).days
    dots, legend = [], []
    for day, s in dated:
        at, shown = round(100 * (day - first).days / span), esc(arabic_date(day.isoformat()))
        dots.append(f'<span class="qa-tl-dot" style="inset-inline-start: {at}%" title="{shown}">{s.number}</span>')
        legend.append(f'<span class="qa-tl-item"><b>&#91;{s.number}&#93;</b> {shown}</span>')
    return (f'<div class="qa-timeline"><div class="qa-tl-title">تواريخ المصادر، من الأقدم إلى الأحدث</div>'
            f'<div class="qa-tl-track">{"".join(dots)}</div><div class="qa-tl-legend">{" ← ".join(legend)}</div></div>')


def render_sources(answer, turn: int = 0, sources: list[Source] | None = None) -> str:
    """The sources panel: foldable, open when it is short."""
    sources = sources if sources is not None else group_sources(answer.citations)
    if not sources:
        return ""
    items = "".join(render_source(s, answer.passages, turn) for s in sources)
    is_open = " open" if len(sources) <= OPEN_SOURCES else ""
    count = counted(len(sources), SOURCES)
    return (f'<details class="qa-sources" dir="rtl"{is_open}><summary class="qa-sources-title">المصادر '
            f'<span class="qa-meta">({count})</span></summary>{render_timeline(sources)}<ol>{items}</ol></details>')


def render_suggestions(answer) -> str:
    if not answer.suggestions:
        return ""
    items = "".join(f'<li><b>{esc(s.title or s.article_id)}</b> <span class="qa-meta">'
                    f"{meta_line(s.source, arabic_date(s.published))}</span> {link(s.url)}</li>"
                    for s in answer.suggestions)
    return f'<div class="qa-suggest" dir="rtl"><div class="qa-suggest-title">أقرب المقالات</div><ul>{items}</ul></div>'


def render_window(answer) -> str:
    """The days the question named, as the answer read them: «الفترة: من 9 إلى
    10 أغسطس 2015»، «الأحدث أولاً»; nothing when it named no time."""
    window = getattr(answer, "time_window", None)
    if window is None or not (window.dated or window.latest):
        return ""
    parts = []
    if window.dated:
        parts.append(f'الفترة: <span class="qa-window-days">{esc(window.text)}</span>')
    if window.latest:
        parts.append("الأحدث أولاً")
    return f'<div class="qa-window" dir="rtl">{" · ".join(parts)}</div>'


def render_note(answer) -> str:
    """The composer's line for the user (a fallback, removed sentences), if any."""
    note = getattr(answer, "note", None)
    return f'<div class="qa-note" dir="rtl">ⓘ {esc(note)}</div>' if note else ""


def render_answer(answer, turn: int = 0) -> str:
    """Cited text and its sources, or an abstention notice with the nearest
    articles; under either, the time window the question named."""
    if answer.abstained:
        return (f'<div class="qa-abstain" dir="rtl"><div class="qa-abstain-notice">⚠ لا جواب في المقالات المخزنة</div>'
                f"<div>{esc_lines(answer.text)}</div>{render_note(answer)}{render_window(answer)}{render_suggestions(answer)}</div>")
    sources = group_sources(answer.citations)
    text = render_text(answer.text, marker_labels(sources), turn, getattr(answer, "short", None))
    return (f'<div class="qa-answer" dir="rtl"><div class="qa-answer-text">{text}</div>'
            f"{render_note(answer)}{render_window(answer)}{render_sources(answer, turn, sources)}</div>")


def render_partial(text: str) -> str:
    shown = esc_lines(text) or "…"
    return f'<div class="qa-answer qa-streaming" dir="rtl"><div class="qa-answer-text">{shown}</div></div>'


def render_error(message: str) -> str:
    return f'<div class="qa-error" dir="rtl">{esc(message)}</div>'
