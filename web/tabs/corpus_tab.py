"""The corpus tab: the archive at a glance (period, outlets, a chart of
articles per month by source), the table of articles searchable by title and
filtered by source, and the article a reader picks, beside the table."""

from __future__ import annotations

import gradio as gr

from ..corpus_view import (filter_articles, month_order, render_article, render_corpus, render_summary,
                           source_choices, source_colors, timeline_frame)
from ..render import render_error

TITLE = "المقالات"
ID = "corpus"
ALL_SOURCES = "كل المصادر"
# Clicking a title in the table asks the server for that article.
OPEN_ON_CLICK = """
element.addEventListener('click', function (e) {
  var button = e.target.closest('[data-article]');
  if (button) trigger('select', {index: 0, value: button.getAttribute('data-article')});
});
"""


def chart(articles: list[dict], **layout) -> gr.BarPlot:
    """Articles per month, stacked by source; the counts per source beside it
    are its legend (same colours). Undated articles are counted there only."""
    frame = timeline_frame(articles)
    months = month_order(frame)[::-1]  # time runs right to left, as the page reads and the answers' time lines
    return gr.BarPlot(frame, x="الشهر", y="المقالات", color="المصدر", sort=months or None,
                      x_title="الشهر", y_title="عدد المقالات", color_title="المصدر", visible=len(frame) > 0,
                      color_map=source_colors(articles), colors_in_legend=[], **layout)


def build(page) -> None:
    qa = page.qa
    articles = qa.articles()
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=280):
            summary = gr.HTML(render_summary(articles), elem_id="qa-summary", js_on_load=None)
        with gr.Column(scale=3, min_width=280):
            plot = chart(articles, height=260, title="المقالات في كل شهر حسب المصدر", show_label=False,
                         elem_id="qa-timeline")
    with gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=300):
            with gr.Row():
                search = gr.Textbox(label="ابحث في العناوين", placeholder="كلمة من العنوان…", rtl=True, scale=2,
                                    elem_id="qa-corpus-search")
                source = gr.Dropdown(choices=[ALL_SOURCES, *source_choices(articles)], value=ALL_SOURCES,
                                     label="المصدر", scale=1, elem_id="qa-corpus-source")
            table = gr.HTML(render_corpus(articles), elem_id="qa-corpus", js_on_load=OPEN_ON_CLICK)
            refresh = gr.Button("تحديث", size="sm")
        with gr.Column(scale=1, min_width=300):
            article = gr.HTML('<div class="qa-notice" dir="rtl">اختر مقالاً من الجدول لقراءته هنا.</div>',
                              elem_id="qa-article", js_on_load=None)

    def filtered(query, picked):
        rows = qa.articles()
        shown = filter_articles(rows, query, None if picked in (None, ALL_SOURCES) else picked)
        return render_corpus(shown, total=len(rows))

    def show_article(evt: gr.SelectData):
        try:
            return render_article(qa.article(str(evt.value)))
        except KeyError as exc:
            return render_error(exc.args[0])

    search.change(filtered, [search, source], table, api_visibility="private", trigger_mode="always_last")
    source.change(filtered, [search, source], table, api_visibility="private")
    table.select(show_article, None, article, api_visibility="private")

    def refreshed():
        rows = qa.articles()
        return (render_summary(rows), chart(rows), render_corpus(rows),
                gr.Dropdown(choices=[ALL_SOURCES, *source_choices(rows)], value=ALL_SOURCES), "")

    page.on_store_change(refreshed, [summary, plot, table, source, search])
    page.store_changed_by(refresh.click(lambda: None, None, None, api_visibility="private", queue=False))
