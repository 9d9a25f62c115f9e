"""Cleaning: keep every body sentence, drop the chrome, mend broken words."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.clean import clean, clean_batch, deobfuscate, detect_template_lines
from index.documents import Article, RawDocument, ReadFailure

FIXTURES = Path(__file__).parent / "fixtures"

# The body of fixtures/sample_article.txt, paragraph by paragraph, with the
# broken words mended and nothing else changed.
SAMPLE_BODY = [
    "أجرى رأس النظام السوري “بشار الأسد” اتصالاً هاتفياً مع الرئيس الروسي “فلاديمير بوتين” لمناقشة تطورات الأوضاع في سوريا من كافة النواحي سياسياً واقتصادياً وصحياً، وذلك في أول اتصال مباشر بينهما منذ منتصف شهر تشرين الثاني/ نوفمبر من العام الماضي.",
    "وحول تفاصيل ما دار بين بشار الأسد وبوتين في المحادثة الهاتفية التي بادر بها الجانب السوري، أصدرت الرئاسة الروسية “الكرملين”، اليوم الاثنين 26 أبريل/ نيسان بياناً، نقلته وكالة أنباء “تاس” الروسية.",
    "وذكر البيان أن “الأسد” أطلع “بوتين” على الاستعدادات التي يجريها النظام السوري تحضيراً لانتخابات الرئاسة السورية التي ستجرى أواخر شهر مايو/ أيار القادم.",
    "وبحسب البيان، فإن الطرفان ناقشا مجموعة من القضايا المدرجة على جدول الأعمال الثنائية بين البلدين في المرحلة المقبلة.",
    "وأوضح أن الجانبان بحثا سبل تطوير العلاقات الاقتصادية والتجارية والإنسانية بين روسيا والنظام السوري، إلى جانب المساهمة في مكافحة انتشار فيروس كورونا، بما في ذلك إمكانية أن تعمل روسيا على توفير اللقاحات الروسية وإرسالها لدمشق.",
    "كما ناقش “الأسد” و”بوتين” تطورات الأوضاع السياسية المتعلقة بالملف السوري ومسار الحل السياسي ضمن إطار مباحثات اللجنة الدستورية.",
    "ولفت البيان أن “بشار الأسد” أعرب عن عميق امتنانه للقيادة الروسية على الدعم الشامل المقدم له والمساعدات التي قدمتها روسيا لنظامه طوال السنوات الماضية.",
    "من جهتها، نشرت “الرئاسة السورية”، بياناً، ذكرت فيه أن الأسد هاتف بوتين من أجل مناقشة عدة مسائل ذات اهتمام مشترك بين الجانبين.",
    "ونوهت خلال البيان إلى نية روسيا بتوريد أعداد إضافية من لقاحات “كورونا” لمساعدة الشعب السوري والحد من انتشار الفيروس.",
    "ولم يأتي البيان الصادر عن الرئاسة السورية أن “الأسد” و”بوتين” ناقشا استعدادات النظام للانتخابات الرئاسية في سوريا، وهو ما جاء في بيان “الكرملين”.",
    "وركز البيان الصادر عن النظام السوري على الحديث عن مناقشة “الأسد” و”بوتين” مسألة العقوبات الغربية، والأوضاع في أوكرانيا، بالإضافة إلى اللجنة الدستورية السورية.",
    "يأتي ذلك في الوقت الذي يستعد نظام الأسد لإجراء انتخابات الرئاسة السورية يوم 26 من شهر أيار/ مايو القادم، وذلك حسب ما أعلن رئيس مجلس الشعب التابع للنظام “حمودة الصباغ” قبل عدة أيام.",
    "تجدر الإشارة إلى أن روسيا ونظام الأسد يصران على إجراء الانتخابات الرئاسية في سوريا، وذلك على الرغم من رفض الولايات المتحدة الأمريكية والدول الأوروبية لها، حيث أكدت إدارة “بايدن” أنها لن تعترف بنتائج تلك الانتخابات ما لم تجرى بموجب قرار مجلس الأمن رقم 2254 وبإشراف أممي.",
    "فيما يرى المحللون أن روسيا حاولت في أكثر من مناسبة أن تجد مخرجاً لورطتها في سوريا عبر عقد صفقة شاملة مع الإدارة الأمريكية تتعلق بمستقبل سوريا ومصير الأسد، إلا أن الصفقة لم تنضج حتى اللحظة وفقاً للعديد من المحللين والخبراء.",
]
SAMPLE_TITLE = "اتصال هاتفي بين بشار الأسد وبوتين بشأن الأوضاع الاقتصادية والحل في سوريا.. والرئاسة الروسية تصدر بياناً"

# Page chrome of the sample; none of it may reach the text.
SAMPLE_CHROME = [
    "أخر الأخبار",
    "طيف بوست – فريق التحرير",
    "فريق التحرير",
    "اقرأ أيضاً",
    "مذكرات خدام",  # headline of another article
    "مصادر تتحدث عن تحضيرات تجريها روسيا لشن عملية عسكرية واسعة وسط سوريا",
    "rami fakhori",
    "كاتب صحفي متخصص",
    "الأكاديمية السورية الدولية",
    "مقالات ذات صلة",
    "اترك تعليقاً",
    "لن يتم نشر عنوان بريدك الإلكتروني",
    "الحقول الإلزامية",
    "زر الذهاب إلى الأعلى",
    "error:",
]


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample() -> Article:
    return clean(RawDocument("sample_article.txt", text=_read("sample_article.txt")))


# ---------------------------------------------------------------- the example article

def test_sample_keeps_every_body_paragraph_and_nothing_else(sample):
    assert sample.text.split("\n\n") == SAMPLE_BODY


@pytest.mark.parametrize("chrome", SAMPLE_CHROME)
def test_sample_chrome_is_gone(sample, chrome):
    assert chrome not in sample.text


def test_sample_metadata(sample):
    assert sample.title == SAMPLE_TITLE
    assert sample.source == "طيف بوست"
    assert sample.author == "rami fakhori"
    assert sample.url is None
    assert sample.published is None  # "26 أبريل" has no year: never completed


def test_sample_headline_is_title_not_text(sample):
    assert SAMPLE_TITLE not in sample.text
    assert "اتصال هاتفي بين بشار الأسد وبوتين بشأن" not in sample.text


@pytest.mark.parametrize("word", ["القضايا", "فيروس كورونا", "اللقاحات", "العقوبات", "رفض", "مكافحة", "لقاحات", "الفيروس"])
def test_sample_obfuscated_words_restored(sample, word):
    assert word in sample.text


def test_sample_has_no_broken_words_left(sample):
    assert "ـ." not in sample.text and ".ـ" not in sample.text


def test_sample_id_is_stable_hash_of_text(sample):
    again = clean(RawDocument("elsewhere.txt", text=_read("sample_article.txt")))
    assert again.id == sample.id and len(sample.id) == 16
    int(sample.id, 16)


def test_given_fields_win_and_id_from_url():
    doc = RawDocument("a.jsonl:1", text=_read("sample_article.txt"),
                      fields={"url": "https://example.org/a", "source": "Site", "published": "2021-04-26T10:00:00+03:00"})
    article = clean(doc)
    assert (article.source, article.url, article.published) == ("Site", "https://example.org/a", "2021-04-26")
    assert article.id == clean(RawDocument("b", text="نص آخر تماماً لمقال مختلف.", fields={"url": "https://example.org/a"})).id
    assert clean(RawDocument("c", text="نص.", fields={"id": "abc-1"})).id == "abc-1"


@pytest.mark.parametrize("given, iso", [("2021-04-26", "2021-04-26"), ("26/04/2021", "2021-04-26"),
                                        ("٢٦ نيسان ٢٠٢١", "2021-04-26"), ("2021", None), ("أبريل 2021", None), ("غداً", None)])
def test_published_is_iso_or_none(given, iso):
    assert clean(RawDocument("d", text="نص.", fields={"published": given})).published == iso


def test_dateline_is_not_a_source():
    article = clean(RawDocument("d.txt", text="دمشق – خاص\n\nقالت مصادر محلية إن الاشتباكات تجددت صباح اليوم في ريف المدينة."))
    assert article.source is None


# ---------------------------------------------------------------- deobfuscation

@pytest.mark.parametrize("broken, mended", [
    ("القـ.ـضايا", "القضايا"),
    ("فيـ.ـروس كـ.ـورونا", "فيروس كورونا"),
    ("فيـ*ـروس", "فيروس"),
    ("كـ-ـورونا", "كورونا"),
    ("اللقـ_ـاحات", "اللقاحات"),
    ("العقـ•ـوبات", "العقوبات"),
    ("رفـ.ض", "رفض"),
    ("مكا.ـفحة", "مكافحة"),
    ("فيـ\u200bـروس", "فيروس"),
    ("في\u200cروس", "فيروس"),
    ("مرحبا\u200f بكم", "مرحبا بكم"),
])
def test_deobfuscate_mends(broken, mended):
    assert deobfuscate(broken) == mended


@pytest.mark.parametrize("text", [
    "انتهى الاجتماع. وبدأت المفاوضات",  # a sentence end is not a break
    "انتهى الاجتماع.وبدأت المفاوضات",  # no tatweel: two words, left as written
    "جـمـيـل جداً",  # stylistic tatweel stays
    "مشار إليها بـ *",
    "بلغت النسبة 12.5 بالمئة في أبريل/نيسان",
    "أعلن اليوم - الأحد - عن",
])
def test_deobfuscate_leaves_real_text(text):
    assert deobfuscate(text) == text


# ---------------------------------------------------------------- text tidying

def test_unicode_and_whitespace_tidied_and_paragraphs_kept():
    text = ("عنوان الخبر\n\n"
            "\u202bفقرة   أولى\u00a0فيها\tمسافات كثيرة وكلمات كافية لتكون جملة.\u202c\r\n\n\n"
            "فقرة ثانية فيها حرف مركب \u0627\u0653 وكلمات كافية لتكون جملة أخرى.\n")
    article = clean(RawDocument("t.txt", text=text))
    assert article.title == "عنوان الخبر"
    assert article.text == ("فقرة أولى فيها مسافات كثيرة وكلمات كافية لتكون جملة.\n\n"
                            "فقرة ثانية فيها حرف مركب \u0622 وكلمات كافية لتكون جملة أخرى.")


# ---------------------------------------------------------------- a second style of chrome

def test_second_site_chrome_kinds():
    article = clean(RawDocument("second_site.txt", text=_read("second_site.txt")))
    assert article.text.split("\n\n") == [
        "أعلنت وزارة الصحة اليوم عن خطة جديدة لتوسيع حملة التطعيم ضد فيروس كورونا في المحافظات الجنوبية خلال الأشهر المقبلة.",
        "وقال المتحدث باسم الوزارة إن الخطة تشمل افتتاح عشرين مركزاً جديداً وتدريب مئات الممرضين على إعطاء اللقاحات.",
        "وأضاف أن الوزارة ستعمل مع المنظمات الدولية لضمان وصول الجرعات إلى القرى النائية قبل نهاية الصيف.",
        "وأكد المتحدث أن العقوبات المفروضة على بعض الموردين لن تؤثر على سير الحملة في أي محافظة.",
    ]
    assert article.title == "وزارة الصحة تعلن خطة لتوسيع حملة التطعيم في المحافظات الجنوبية"
    assert article.author == "سلمى حداد"
    assert article.published == "2022-03-03"
    for chrome in ["الحكومة تقر موازنة", "فيديو يوثق", "شارك", "تابعونا", "النشرة البريدية",
                   "ذات صلة", "البرلمان يناقش", "جميع الحقوق محفوظة", "الرئيسية", "عاجل"]:
        assert chrome not in article.text


@pytest.mark.parametrize("line", [
    "اقرأ ايضا: عنوان مقال آخر", "إقرأ أيضًا: عنوان مقال آخر", "اقرأ المزيد: عنوان مقال آخر", "شاهد أيضاً: عنوان مقال آخر",
    "آخر الأخبار", "أخبار ذات صلة", "أضف تعليق", "شارك على فيسبوك", "Facebook Twitter WhatsApp",
    "العودة إلى الأعلى", "اشتركوا في نشرتنا الإخبارية", "© 2021 جميع الحقوق محفوظة",
])
def test_chrome_variants_dropped(line):
    body = "هذه جملة من متن الخبر تكفي طولاً لتعد فقرة حقيقية من المقال."
    article = clean(RawDocument("v.txt", text=f"{body}\n\n{line}\n\n{body.replace('هذه', 'وهذه')}"))
    assert line not in article.text
    assert article.text.count("جملة من متن الخبر") == 2


def test_body_sentence_that_looks_like_chrome_is_kept():
    text = ("العنوان\n\n"
            "صحفي يعمل في وكالة محلية قال إن الشرطة اعتقلت ثلاثة أشخاص صباح اليوم.\n\n"
            "شارك الآلاف في المظاهرة التي خرجت في العاصمة يوم الجمعة للمطالبة بالإصلاح.\n\n"
            "كتب الرئيس على حسابه أن الحكومة ستعلن عن خطة جديدة خلال أيام قليلة.\n\n"
            "اشترك في الهجوم عشرات المسلحين القادمين من خارج المدينة بحسب الشهود.\n\n"
            "تابعنا على مدى أسابيع تطورات القضية في المحاكم وفي الشارع أيضاً.\n\n"
            "ترحب الحكومة بالنقاش حول القانون الجديد وتدعو المواطنين للمشاركة.\n\n"
            "وقال إن تصريحات الوزير لا تعبر عن موقف الحكومة ولا عن سياستها الرسمية.")
    article = clean(RawDocument("k.txt", text=text))
    assert article.title == "العنوان"
    assert article.text.split("\n\n") == text.split("\n\n")[1:]


def test_headline_printed_twice_is_title_even_as_question():
    headline = "هل تنجح الحكومة الجديدة في إنقاذ الاقتصاد من الانهيار هذا العام؟"
    body = "قال خبراء إن الحكومة الجديدة تواجه تحديات كبيرة في ملف الاقتصاد والعملة."
    article = clean(RawDocument("q.txt", text=f"{headline}\n\n{headline}\n\n{body}"))
    assert (article.title, article.text) == (headline, body)


def test_tail_cut_spares_body_after_a_marker():
    """A chrome marker followed by more body text only drops its own line."""
    text = ("مقالات ذات صلة\n\n"
            "هذه فقرة من متن الخبر تأتي بعد سطر يشبه نهاية الصفحة ولا بد أن تبقى.\n\n"
            "اترك تعليقاً\n\nعنوان مقال آخر لا ينتمي للخبر")
    article = clean(RawDocument("m.txt", text=text))
    assert article.text == "هذه فقرة من متن الخبر تأتي بعد سطر يشبه نهاية الصفحة ولا بد أن تبقى."


# ---------------------------------------------------------------- HTML

@pytest.fixture(scope="module")
def page() -> Article:
    return clean(RawDocument("article_page.html", html=_read("article_page.html")))


def test_html_body(page):
    assert page.text.split("\n\n") == [
        "افتتحت الحكومة صباح اليوم أكبر محطة للطاقة الشمسية في المنطقة، بقدرة إنتاجية تبلغ خمسمئة ميغاواط تكفي لتزويد مئات آلاف المنازل بالكهرباء.",
        "وقال وزير الطاقة في كلمة خلال حفل الافتتاح إن المشروع يمثل خطوة أساسية نحو خفض الاعتماد على الوقود الأحفوري وتقليل الانبعاثات الضارة.",
        "وأوضح الوزير أن بناء المحطة استغرق ثلاث سنوات، وشارك فيه أكثر من ألفي عامل ومهندس من شركات محلية ودولية، رغم العقوبات التي أخرت وصول بعض المعدات.",
        "ومن المتوقع أن توفر المحطة نحو مئة مليون دولار سنوياً من تكاليف استيراد الوقود، بحسب تقديرات الوزارة.",
    ]


@pytest.mark.parametrize("chrome", ["سطر برمجي", "display", "سياسة", "اقتصاد", "شارك هذا المقال", "واتساب",
                                    "ارتفاع أسعار الوقود", "ترحب أسرة", "الآراء المنشورة", "جميع الحقوق", "العودة إلى الأعلى",
                                    "تابعونا"])
def test_html_chrome_is_gone(page, chrome):
    assert chrome not in page.text


def test_html_metadata(page):
    assert page.title == "افتتاح أكبر محطة للطاقة الشمسية في المنطقة"
    assert page.source == "موقع الأفق"
    assert page.author == "ليلى منصور"
    assert page.url == "https://alofoq.example/news/2023/05/solar-plant"
    assert page.published == "2023-05-14"


# ---------------------------------------------------------------- batches and templates

def _site_article(n: int) -> RawDocument:
    text = (f"أخبار المدينة اليوم\n\nعنوان الخبر رقم {n}\n\nالمدينة نيوز – فريق التحرير\n\n"
            f"هذه الفقرة الأولى من الخبر رقم {n} وفيها تفاصيل كافية عن الحدث.\n\n"
            f"وهذه الفقرة الثانية من الخبر رقم {n} وفيها تفاصيل أخرى عن الحدث.\n\n"
            "لمتابعة آخر المستجدات حمّلوا تطبيق المدينة نيوز على هواتفكم\n\n"
            "سطر ثابت في قالب الموقع لا ينتمي إلى أي خبر")
    return RawDocument(f"site/{n}.txt", text=text)


def test_detect_template_lines_across_three_articles():
    templates = detect_template_lines([_site_article(n) for n in range(3)])
    assert templates["المدينة نيوز"] >= {
        "أخبار المدينة اليوم",
        "لمتابعة آخر المستجدات حمّلوا تطبيق المدينة نيوز على هواتفكم",
        "سطر ثابت في قالب الموقع لا ينتمي إلى أي خبر",
    }
    assert not any("رقم" in line for line in templates["المدينة نيوز"])


def test_two_articles_are_not_enough_for_a_template():
    assert detect_template_lines([_site_article(n) for n in range(2)]).get("المدينة نيوز", frozenset()) == frozenset()


def test_clean_batch_removes_template_lines_and_reports_empty():
    docs = [_site_article(n) for n in range(3)] + [RawDocument("empty.txt", text="مقالات ذات صلة\n\nاترك تعليقاً\n")]
    results = clean_batch(docs)
    for n, article in enumerate(results[:3]):
        assert isinstance(article, Article)
        assert article.source == "المدينة نيوز"
        assert article.title == f"عنوان الخبر رقم {n}"
        assert article.text.split("\n\n") == [
            f"هذه الفقرة الأولى من الخبر رقم {n} وفيها تفاصيل كافية عن الحدث.",
            f"وهذه الفقرة الثانية من الخبر رقم {n} وفيها تفاصيل أخرى عن الحدث.",
        ]
    assert results[3] == ReadFailure("empty.txt", "no article text found")
    assert "سطر ثابت في قالب الموقع" in clean(_site_article(0)).text  # alone, no template is known


def test_clean_batch_html_and_text_together():
    results = clean_batch([RawDocument("p.html", html=_read("article_page.html")),
                           RawDocument("s.txt", text=_read("sample_article.txt"))])
    assert [type(r) for r in results] == [Article, Article]
    assert results[1].text.split("\n\n") == SAMPLE_BODY
