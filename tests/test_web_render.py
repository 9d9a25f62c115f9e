"""What the chat and the corpus tab show, as HTML: one card per source
article with all its quotes, passages with their paragraph breaks and cut at
sentence or word boundaries, Arabic dates, the sources' time line, the short
answer in bold, the archive's counts and chart data."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from index.documents import Article
from qa.answer import Answer, Citation, Passage
from web import corpus_view, render
from web.dates import arabic_date
from web.wording import ARTICLES, SOURCES, counted

FIRST = ("أجرى الرئيس اتصالاً هاتفياً مع نظيره لمناقشة تطورات الأوضاع في البلاد من كافة النواحي، وذلك في أول "
         "اتصال مباشر بينهما منذ منتصف شهر تشرين الثاني/ نوفمبر من العام الماضي.")
SECOND = "وحول تفاصيل ما دار في المحادثة، أصدرت الرئاسة بياناً نقلته وكالة الأنباء."
THIRD = "وذكر البيان أن الانتخابات ستجرى يوم 26 أيار/ مايو القادم."
LONG = ("كما ناقش الطرفان " + "مسائل كثيرة متعلقة بالاقتصاد والتجارة والصحة والتعليم والنقل " * 6).strip() + "."
TEXT = f"{FIRST}\n\n{SECOND}\n\n{THIRD}\n\n{LONG}"
SENTENCE_GLUE = re.compile(r"[.!?؟؛][\u0621-\u064aA-Za-z]")


class Passages(HTMLParser):
    """The text of each ``.qa-passage`` as a reader sees it: paragraphs on
    lines of their own, quote letters (``.qa-qlabel``) left out."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[list[str]] = []
        self.depth = 0
        self.skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "blockquote" and "qa-passage" in classes:
            self.found.append([""])
            self.depth = 1
        elif self.depth and tag == "p":
            self.found[-1].append("")
        elif self.depth and "qa-qlabel" in classes:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self.depth = 0
        elif tag == "span" and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.found[-1][-1] += data

    def paragraphs(self) -> list[list[str]]:
        return [[p for p in passage if p.strip()] for passage in self.found]


def _article(article_id="a1", text=TEXT, published="2021-04-26", title="اتصال هاتفي بين الرئيسين") -> Article:
    return Article(id=article_id, title=title, text=text, source="طيف بوست", published=published,
                   url="https://example.org/a1")


def _cite(n, article, sentence, chunk="c1") -> Citation:
    start = article.text.index(sentence)
    return Citation(n=n, article_id=article.id, title=article.title, source=article.source, url=article.url,
                    published=article.published, quote=sentence, chunk_id=chunk, score=0.5,
                    start=start, end=start + len(sentence))


def _answer(citations, passages, text=None) -> Answer:
    text = text or " ".join(f"{c.quote} [{c.n}]" for c in citations)
    return Answer(question="ماذا ناقش الرئيسان؟", text=text, abstained=False, citations=citations,
                  passages=passages)


def _whole(article) -> Passage:
    return Passage(chunk_id="c1", article=article, start=0, end=len(article.text), score=1.0)


def test_one_card_per_article_with_all_its_quotes_and_lettered_markers():
    a, b = _article(), _article("b2", "ارتفعت صادرات التمور إلى 1.2 مليار ريال في العام الماضي.", "2022-03-15",
                                "ارتفاع صادرات التمور")
    citations = [_cite(1, a, SECOND), _cite(2, b, b.text, "c2"), _cite(3, a, THIRD)]
    passages = [_whole(a), Passage(chunk_id="c2", article=b, start=0, end=len(b.text), score=0.9)]
    html = render.render_answer(_answer(citations, passages), turn=2)
    assert html.count('<li class="qa-source"') == 2
    assert html.count(a.title) == 1 and html.count(b.title) == 1
    assert "(اقتباسان)" in html
    markers = re.findall(r'<a class="qa-cite" href="#(qa-src-2-\d)">&#91;([^&]+)&#93;</a>', html)
    assert [label for _, label in markers] == ["1أ", "2", "1ب"], "one number per article, a letter per quote"
    for target, _ in markers:
        assert f'<mark id="{target}">' in html, target
    assert "مصدران" in html


def test_passages_keep_paragraphs_and_end_at_sentence_or_word_boundaries():
    a = _article()
    for quote in (FIRST, SECOND, THIRD, LONG):
        html = render.render_sources(_answer([_cite(1, a, quote)], [_whole(a)]))
        [paragraphs] = Passages(html).paragraphs()
        assert quote in paragraphs, "the quote is a paragraph of its own here"
        joined = "\n".join(paragraphs)
        assert not SENTENCE_GLUE.search(joined), joined
        for piece in paragraphs:
            core = piece.strip().removeprefix("… ").removesuffix(" …")
            at = a.text.find(core)
            assert at >= 0, core
            assert at == 0 or a.text[at - 1].isspace(), f"starts mid-word: {core[:20]}"
            end = at + len(core)
            assert end == len(a.text) or a.text[end].isspace(), f"ends mid-word: {core[-20:]}"
    cut = Passages(render.render_sources(_answer([_cite(1, a, THIRD)], [_whole(a)]))).paragraphs()[0]
    assert cut[-1].endswith(" …"), "the long sentence after the quote is cut at a word, and says so"


def test_quotes_close_together_share_one_passage():
    a = _article()
    html = render.render_sources(_answer([_cite(1, a, SECOND), _cite(2, a, THIRD)], [_whole(a)]))
    assert html.count('class="qa-passage"') == 1 and html.count("<mark id=") == 2
    assert html.count(SECOND) == 1, "a sentence is shown once"
    assert '<span class="qa-qlabel">أ</span>' in html and '<span class="qa-qlabel">ب</span>' in html


def test_a_quote_without_its_passage_is_still_shown():
    a = _article()
    html = render.render_sources(_answer([_cite(1, a, SECOND)], []))
    assert f'<mark id="qa-src-0-1">{SECOND}</mark>' in html


def test_short_answer_is_bold_where_given():
    a = _article()
    answer = _answer([_cite(1, a, THIRD)], [_whole(a)])
    assert "<strong>" not in render.render_answer(answer)
    answer.short = "26 أيار/ مايو"
    html = render.render_answer(answer)
    assert "<strong>26 أيار&#47; مايو</strong>" in html or "<strong>26 أيار/ مايو</strong>" in html
    assert answer.to_dict()["answer"] == answer.text
    answer.short = "not in the text"
    assert "<strong>" not in render.render_answer(answer)


def test_a_bare_number_is_bolded_where_it_stands_not_inside_a_marker_or_a_longer_number():
    """«3» as the short answer: not the «3» of the marker «[3]» before it,
    nor the «3» of «2013»."""
    from qa.plain import render as plain

    a = _article("a3", "ضمت البعثة في 2013 وفدا، ثم 3 وفود أخرى.")
    citations = [_cite(n, a, a.text) for n in (1, 2, 3)]
    answer = _answer(citations, [_whole(a)], text="الزيارة [3] جرت في 2013، وضمت 3 وفود [1].")
    answer.short = "3"
    html = render.render_answer(answer)
    assert "وضمت <strong>3</strong> وفود" in html and html.count("<strong>") == 1
    assert plain(answer, bold=lambda t: f"*{t}*").split("\n")[0] == "الزيارة [1ج] جرت في 2013، وضمت *3* وفود [1أ]."


@pytest.mark.parametrize("value, shown", [
    ("2021-04-26", "26 أبريل 2021"), ("2024-12-01T08:30:00", "1 ديسمبر 2024"), ("2021-04", "أبريل 2021"),
    (None, None), ("", None), ("yesterday", "yesterday"), ("2021-02-30", "2021-02-30")])
def test_arabic_dates(value, shown):
    assert arabic_date(value) == shown


def test_sources_show_their_dates_and_a_time_line_oldest_first():
    new, old = _article("n", published="2024-12-01"), _article("o", published="2021-04-26", title="خبر أقدم")
    html = render.render_sources(_answer([_cite(1, new, SECOND), _cite(2, old, THIRD)], [_whole(new)]))
    assert '<time class="qa-date" datetime="2024-12-01">1 ديسمبر 2024</time>' in html
    assert '<time class="qa-date" datetime="2021-04-26">26 أبريل 2021</time>' in html
    timeline = html[html.index('class="qa-timeline"'):html.index("<ol>")]
    assert timeline.index("26 أبريل 2021") < timeline.index("1 ديسمبر 2024"), "oldest first"
    assert "inset-inline-start: 0%" in timeline and "inset-inline-start: 100%" in timeline
    undated = _article("u", published=None)
    html = render.render_sources(_answer([_cite(1, undated, SECOND)], [_whole(undated)]))
    assert "بلا تاريخ" in html and "qa-timeline" not in html, "one source, no date: no time line"


def test_long_source_lists_start_folded():
    articles = [_article(f"a{i}", title=f"عنوان {i}") for i in range(3)]
    html = render.render_sources(_answer([_cite(i + 1, a, SECOND) for i, a in enumerate(articles)], []))
    assert html.startswith('<details class="qa-sources" dir="rtl"><summary')
    short = render.render_sources(_answer([_cite(1, articles[0], SECOND)], []))
    assert short.startswith('<details class="qa-sources" dir="rtl" open>')


def test_counted_nouns():
    assert [counted(n, ARTICLES) for n in (1, 2, 3, 10, 11, 103)] == [
        "مقالة واحدة", "مقالتان", "3 مقالات", "10 مقالات", "11 مقالة", "103 مقالات"]
    assert counted(2, SOURCES) == "مصدران"


ROWS = [{"id": "1", "title": "افتتاح المرحلة الأولى من قطار الرياض", "source": "صحيفة الرياض",
         "published": "2024-12-01", "chunks": 1},
        {"id": "2", "title": "أمطار غزيرة على جدة", "source": "صحيفة عكاظ", "published": "2024-12-20", "chunks": 1},
        {"id": "3", "title": "ارتفاع صادرات التمور", "source": "صحيفة الرياض", "published": "2022-03-15", "chunks": 1},
        {"id": "4", "title": "اتصال هاتفي", "source": None, "published": None, "chunks": 7}]


def test_corpus_summary_chart_data_and_search():
    summary = corpus_view.render_summary(ROWS)
    assert "4 مقالات" in summary and "3 مصادر" in summary
    assert "15 مارس 2022" in summary and "20 ديسمبر 2024" in summary and "مقالة واحدة بلا تاريخ" in summary
    frame = corpus_view.timeline_frame(ROWS)
    assert sorted(zip(frame["الشهر"], frame["المصدر"], frame["المقالات"])) == sorted([
        ("ديسمبر 2024", "صحيفة الرياض", 1), ("ديسمبر 2024", "صحيفة عكاظ", 1), ("مارس 2022", "صحيفة الرياض", 1)])
    assert corpus_view.month_order(frame) == ["مارس 2022", "ديسمبر 2024"]
    assert [a["id"] for a in corpus_view.filter_articles(ROWS, "الرياض")] == ["1"]
    assert [a["id"] for a in corpus_view.filter_articles(ROWS, "اِفتتاح قطار")] == ["1"], "spelling variants"
    assert [a["id"] for a in corpus_view.filter_articles(ROWS, source="صحيفة الرياض")] == ["1", "3"]
    assert [a["id"] for a in corpus_view.filter_articles(ROWS, source=corpus_view.NO_SOURCE)] == ["4"]
    table = corpus_view.render_corpus(corpus_view.filter_articles(ROWS, "التمور"), total=4)
    assert "1 من 4" in table and 'data-article="3"' in table and "15 مارس 2022" in table


def test_the_time_window_the_question_named_is_shown_under_the_answer():
    import datetime as dt

    from qa.when import parse

    a = _article()
    answer = _answer([_cite(1, a, THIRD)], [_whole(a)])
    answer.time_window = parse("ماذا حدث من 9 إلى 10 أغسطس 2015؟", dt.date(2015, 8, 11))
    html = render.render_answer(answer)
    window = html[html.index('class="qa-window"'):]
    assert "الفترة:" in window and "من 9 إلى 10 أغسطس 2015" in window
    assert html.index("qa-answer-text") < html.index("qa-window") < html.index("qa-sources"), "under the answer"
    answer.time_window = parse("ما آخر إغلاق لمؤشر سوق الأسهم؟", dt.date(2015, 8, 11))
    assert "الأحدث أولاً" in render.render_answer(answer) and "الفترة:" not in render.render_answer(answer)
    answer.time_window = parse("ماذا ناقش الرئيسان؟", dt.date(2015, 8, 11))
    assert "qa-window" not in render.render_answer(answer), "no time named, nothing shown"
    answer.time_window = None
    assert "qa-window" not in render.render_answer(answer)
