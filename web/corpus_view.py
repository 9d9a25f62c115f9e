"""The archive as the corpus tab shows it: what period and which outlets it
covers (counts and a chart of articles over time by source), the table of
articles, and one article as cleaned text."""

from __future__ import annotations

import re
from collections import Counter

from index.arabic import normalize

from .dates import arabic_date, month_label, parse_date
from .escape import esc, esc_lines, link, meta_line
from .wording import ARTICLES, SOURCES, counted

NO_SOURCE = "بلا مصدر"
# Vega's category10 (the chart's default scheme): the same colour for a source
# in the chart and in the counts beside it, which serve as its legend.
PALETTE = ("#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d",
           "#bab0ac")
_PARAGRAPHS = re.compile(r"\n\s*\n")


def filter_articles(articles: list[dict], query: str | None = None, source: str | None = None) -> list[dict]:
    """The articles whose title holds every word of ``query`` (Arabic spelling
    variants ignored), from ``source`` when given."""
    words = normalize(query or "").split()
    found = []
    for a in articles:
        if source and (a.get("source") or NO_SOURCE) != source:
            continue
        title = normalize(a.get("title") or "")
        if all(w in title for w in words):
            found.append(a)
    return found


def corpus_summary(articles: list[dict]) -> dict:
    """Counts per source, the date range and the undated count."""
    days = sorted(d for d in (parse_date(a.get("published")) for a in articles) if d)
    return {"articles": len(articles),
            "by_source": Counter(a.get("source") or NO_SOURCE for a in articles).most_common(),
            "first": days[0] if days else None, "last": days[-1] if days else None,
            "undated": sum(1 for a in articles if not parse_date(a.get("published")))}


def source_colors(articles: list[dict]) -> dict[str, str]:
    """Each source's colour, the most frequent first."""
    ranked = corpus_summary(articles)["by_source"]
    return {name: PALETTE[i % len(PALETTE)] for i, (name, _) in enumerate(ranked)}


def render_summary(articles: list[dict]) -> str:
    if not articles:
        return '<div class="qa-notice" dir="rtl">لا مقالات في المخزن بعد.</div>'
    s = corpus_summary(articles)
    colors = source_colors(articles)
    first, last = (esc(arabic_date(s[k].isoformat())) if s[k] else "" for k in ("first", "last"))
    period = f"من <b>{first}</b> إلى <b>{last}</b>" if s["first"] else "بلا تواريخ"
    undated = f"؛ {counted(s['undated'], ARTICLES)} بلا تاريخ" if s["undated"] and s["first"] else ""
    rows = "".join(f'<li><span class="qa-swatch" style="background: {colors[name]}"></span>'
                   f'<span class="qa-src-name">{esc(name)}</span> <b class="qa-src-count">{n}</b></li>'
                   for name, n in s["by_source"])
    return (f'<div class="qa-summary" dir="rtl"><p class="qa-summary-line"><b>{counted(s["articles"], ARTICLES)}</b> '
            f'من <b>{counted(len(s["by_source"]), SOURCES)}</b>، {period}{undated}.</p>'
            f'<ul class="qa-by-source">{rows}</ul></div>')


def timeline_frame(articles: list[dict]):
    """Articles per month and source, for a stacked bar chart: columns
    الشهر (month label), المصدر, المقالات and an ordering key."""
    import pandas as pd

    counts = Counter()
    for a in articles:
        day = parse_date(a.get("published"))
        if day:
            counts[(day.year, day.month, a.get("source") or NO_SOURCE)] += 1
    rows = [{"الشهر": month_label(parse_date(f"{y:04d}-{m:02d}-01")), "المصدر": source, "المقالات": n,
             "key": f"{y:04d}-{m:02d}"} for (y, m, source), n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["الشهر", "المصدر", "المقالات", "key"])


def month_order(frame) -> list[str]:
    """The month labels in time order (the chart's x axis)."""
    return list(dict.fromkeys(frame.sort_values("key")["الشهر"])) if len(frame) else []


def render_corpus(articles: list[dict], total: int | None = None) -> str:
    """The table; each title a button that opens the article below it."""
    total = len(articles) if total is None else total
    if not total:
        return '<div class="qa-notice" dir="rtl">لا مقالات في المخزن بعد.</div>'
    if not articles:
        return '<div class="qa-notice" dir="rtl">لا مقالة تطابق البحث.</div>'
    rows = "".join(
        f'<tr><td><button type="button" class="qa-open" data-article="{esc(a["id"])}">{esc(a.get("title") or a["id"])}'
        f'</button></td><td>{esc(a.get("source") or "—")}</td>'
        f'<td class="qa-date">{esc(arabic_date(a.get("published")) or "—")}</td>'
        f'<td>{int(a.get("chunks") or 0)}</td></tr>'
        for a in articles)
    shown = f"{len(articles)} من {total}" if len(articles) != total else counted(total, ARTICLES)
    return (f'<div class="qa-corpus" dir="rtl"><p class="qa-meta">{shown} — اضغط عنواناً لقراءته</p><table><thead><tr>'
            f"<th>العنوان</th><th>المصدر</th><th>التاريخ</th><th>المقاطع</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")


def render_article(article) -> str:
    """A stored article as cleaned text, with its metadata."""
    if article is None:
        return ""
    paragraphs = "".join(f"<p>{esc_lines(p)}</p>" for p in _PARAGRAPHS.split(article.text) if p.strip())
    return (f'<article class="qa-article" dir="rtl"><h2>{esc(article.title or article.id)}</h2>'
            f'<div class="qa-meta">{meta_line(article.source, article.author, arabic_date(article.published))} '
            f"{link(article.url)}</div>{paragraphs}</article>")


def article_choices(articles: list[dict]) -> list[tuple[str, str]]:
    return [(f"{a.get('title') or a['id']} — {a.get('source') or '—'}", a["id"]) for a in articles]


def source_choices(articles: list[dict]) -> list[str]:
    return sorted({a.get("source") or NO_SOURCE for a in articles})
