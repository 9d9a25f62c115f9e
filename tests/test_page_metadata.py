"""Dates and names of HTML news pages (index/pagemeta.py): right or null,
never junk.  Each page below reproduces the date/author/site markup of one
of the 8 Arabic news pages that htmldate's own evaluation dates
(tests/eval_mediacloud_2020.json there; the gold day is the one it gives),
with a body of our own."""

import pytest

from index.clean import clean
from index.documents import RawDocument
from index.pagemeta import page_metadata, valid_author, valid_source

BODY = ("<article><h1>عنوان الخبر</h1><p>أعلنت الجهات المختصة اليوم تفاصيل جديدة حول الحادث الذي وقع في المدينة، "
        "وأكدت أن التحقيقات ما زالت جارية لمعرفة ملابساته كافة.</p><p>وأضافت أن فرق الإسعاف وصلت إلى الموقع "
        "خلال دقائق، وأن المصابين نقلوا إلى المستشفيات القريبة لتلقي العلاج اللازم.</p></article>")


def page(head: str, body: str = "") -> str:
    return f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">{head}</head><body>{body}{BODY}</body></html>'


PAGES = {
    # arabic.sputniknews.com: microdata dates; the publisher block with its logo once came out as the author
    "sputnik": (page('<title>خبر - Sputnik Arabic</title><meta content="2020-03-17T17:27:41Z" itemprop="datePublished" '
                     'name="pubdate"><meta content="2020-03-17T17:49:09Z" itemprop="dateModified" name="lastmod">',
                     '<div itemprop="publisher" itemscope itemtype="http://schema.org/Organization">'
                     '<meta itemprop="name" content="Sputnik"><div itemprop="logo" itemscope><meta itemprop="url" '
                     'content="https://cdnarabic1.img.sputniknews.com/i/logo.png"></div></div>'),
                "2020-03-17", None, None),
    # youm7.com: article:published_time in UTC, site name in Arabic
    "youm7": (page('<meta property="og:site_name" content="اليوم السابع"><meta property="article:published_time" '
                   'content="2020-08-24T09:23:13Z">'), "2020-08-24", None, "اليوم السابع"),
    # alyaum.com: a modified date before the published one; the author with the desk's city
    "alyaum": (page('<meta name="datePublished" content="2020-12-01 02:00:00"><meta name="dateModified" '
                    'content="2020-11-30 20:36:03"><meta name="author" content="حسام أبو العلا - القاهرة">'
                    '<meta property="og:site_name" content="alyaum"><meta itemprop="publisher" content="صحيفة اليوم">'),
               "2020-12-01", "حسام أبو العلا", "alyaum"),
    # albayan.ae: JSON-LD with the day in +04:00 (UTC would be a day earlier); the "author" is a dateline
    "albayan": (page('<meta name="last-modified" content="2020-03-15 20:18:45 GST"><meta name="author" '
                     'content="(أبوظبي - البيان)"><meta property="og:site_name" content="البيان">'
                     '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
                     '"datePublished": "2020-06-03T03:01+0400", "dateModified": "2020-06-03T01:30+0400", '
                     '"author": {"@type": "Person", "name": "(أبوظبي - البيان)"}, "publisher": {"@type": '
                     '"Organization", "name": "البيان", "logo": {"@type": "ImageObject", '
                     '"url": "https://www.albayan.ae/res/img/albayan/logo-500x500.png"}}}</script>'),
                "2020-06-03", None, "البيان"),
    # akhbarelyom.com: the date in Arabic words; a second og:site_name that is a URL; the author a site handle;
    # a site clock in the header
    "akhbarelyom": (page('<meta property="og:site_name" content="بوابة اخبار اليوم"><meta property="og:site_name" '
                         'content="https://akhbarelyom.com/"><meta property="article:published_time" '
                         'content="الأربعاء، 07 أكتوبر 2020 - 12:09 م"><meta name="author" content="akhbarelyom">',
                         '<header><span class="header-date">القاهرة: الخميس، 08 أكتوبر 2020 12:19 م</span></header>'),
                    "2020-10-07", None, "بوابة اخبار اليوم"),
    # almadenahnews.com: no date in the head at all, only the visible dateline
    "almadenahnews": (page('<meta name="Author" content="المدينة نيوز"><meta name="Copyright" content="Almadenah News">',
                           '<div id="clock"></div><div class="article_created">تم نشره الجمعة 24 نيسان / أبريل '
                           '2020 09:22 مساءً</div>'),
                      "2020-04-24", "المدينة نيوز", None),
    # elbaladtv.net: article:published_time in UTC (the 24th), JSON-LD in Cairo time (the 25th, the gold day)
    "elbaladtv": (page('<meta property="og:site_name" content="قناة صدى البلد"><meta property="article:published_time" '
                       'content="2020-12-24T23:59:50+00:00"><script type="application/ld+json" class="rank-math-schema">'
                       '{"@context": "https://schema.org", "@graph": [{"@type": "Organization", "name": "قناة صدى البلد", '
                       '"logo": {"@type": "ImageObject", "url": "https://elbaladtv.net/wp-content/uploads/logo.png"}}, '
                       '{"@type": "NewsArticle", "datePublished": "2020-12-25T01:59:50+02:00", "author": '
                       '{"@type": "Person", "name": "ضحى عرفة"}}]}</script>'),
                  "2020-12-25", "ضحى عرفة", "قناة صدى البلد"),
    # beirutobserver.com: article:author is a Facebook URL; the name is in itemprop
    "beirutobserver": (page('<meta property="og:site_name" content="Beirut Observer"><meta property="article:published_time" '
                            'content="2020-11-09T18:34:47+00:00"><meta property="article:author" '
                            'content="https://www.facebook.com/ziad.sankary?ref=tn_tnmn"><meta itemprop="author" '
                            'content="Ziad Sankary">'),
                       "2020-11-09", "Ziad Sankary", "Beirut Observer"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_gets_its_day_and_real_names_or_none(name):
    html, published, author, source = PAGES[name]
    assert page_metadata(html) == {"published": published, "author": author, "source": source}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_cleaning_a_page_keeps_those_values(name):
    html, published, author, source = PAGES[name]
    article = clean(RawDocument(f"{name}.html", html=html))
    assert article.published == published
    assert article.author in (author, None) and (article.author is None or "http" not in article.author)
    assert article.source is None or not article.source.startswith("http")


@pytest.mark.parametrize("value", ["Sputnik https; Cdnarabic; I; Logo Png", "https://www.facebook.com/someone",
                                   "@almadenahnews", "logo-new.png", "(أبوظبي - البيان)", "akhbarelyom",
                                   "editor@site.com"])
def test_junk_is_never_an_author(value):
    assert valid_author(value) is None


@pytest.mark.parametrize("value, expected", [("https://akhbarelyom.com/", None), ("www.youm7.com", None),
                                             ("اليوم السابع", "اليوم السابع")])
def test_a_bare_url_is_not_a_source(value, expected):
    assert valid_source(value) == expected
