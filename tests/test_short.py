"""The short answer (bold in the chat, ``short`` in ``--json``): the exact
words a reader sees for «متى/كم/من/أين», taken from the quoted sentences
by the real finder over real candidate sentences."""

from __future__ import annotations

import pytest

from index.documents import Article
from qa.answer import Passage
from qa.candidates import candidates
from qa.question import analyze, keys_of
from qa.short import short_answer


def short(question: str, *sentences: str) -> str | None:
    """The short answer ``question`` gets from an article of ``sentences``."""
    text = " ".join(sentences)
    article = Article("a1", "خبر", text, published="2021-04-26")
    asked = analyze(question)
    found = short_answer(asked.kind, candidates([Passage("a1:0", article, 0, len(text), 1.0)]), keys_of(asked.terms))
    return found[0] if found else None


SAMPLE = ("يأتي ذلك في الوقت الذي يستعد نظام الأسد لإجراء انتخابات الرئاسة السورية يوم 26 من شهر أيار/ مايو "
          "القادم، وذلك حسب ما أعلن رئيس مجلس الشعب التابع للنظام “حمودة الصباغ” قبل عدة أيام.")


@pytest.mark.parametrize("question, sentences, expected", [
    # a quoted name after the asked title, not the title's next words («التابع للنظام»)
    ("من هو رئيس مجلس الشعب السوري؟", [SAMPLE], "حمودة الصباغ"),
    # «من أعلن…؟»: who the sentence reports, in its own words
    ("من أعلن موعد الانتخابات الرئاسية السورية؟", [SAMPLE], "رئيس مجلس الشعب"),
    # a plain-quoted name ends at its closing quote
    ("من هو رئيس مجلس الشعب السوري؟", [SAMPLE.replace("“", '"').replace("”", '"')], "حمودة الصباغ"),
    # the doer after an agent marker
    ("من يحق له تعديل الدستور المحلي؟", ["ويمكن تعديل الدستور المحلي بواسطة برلمان الولاية في جلسة خاصة."],
     "برلمان الولاية"),
    # a number stops at the comma; thousands marks do not split it; the article's hedge is kept
    ("كم نقطة حصد الفريق في الموسم؟", ["حصد الفريق في الموسم 308 نقطة، ليحتل المركز الأول."], "308 نقطة"),
    ("كم كيلومترا مربعا خسرت الغابة؟", ["خسرت الغابة 587,000 كيلومتر مربع بحلول سنة 2000."], "587,000 كيلومتر مربع"),
    ("كم يبلغ عدد سكان المدينة؟", ["يبلغ عدد سكان المدينة حوالي 11 مليون نسمة وفق آخر تعداد."],
     "حوالي 11 مليون نسمة"),
    # a number with thousands marks is a count, never a year; a count keeps its first number word
    ("كم جنديا قتل في المعركة؟", ["قتل في المعركة 1,500 جندي و 3 مدنيين."], "1,500 جندي"),
    ("كم قتيلا سقط في الحرب؟", ["سقط في الحرب 300 ألف قتيل خلال عشر سنوات."], "300 ألف قتيل"),
    # what a number counts is named indefinite: the definite word after it is the next phrase
    ("كم لاعبا اختير في الفريق؟", ["اختير في الفريق 49 المدافع الأول والمهاجم الثاني."], "49"),
    # a day with its month is a date, not the count asked
    ("كم عملا عرض في المهرجان؟", ["عرض في المهرجان يوم 8 أغسطس نحو 21 فيلما من عشر دول."], "نحو 21 فيلما"),
    # ... also the second of two days behind «و» («1 و8 أغسطس»)
    ("كم عملا عرض في المهرجان؟", ["عرض في المهرجان بين 1 و8 أغسطس نحو 21 فيلما من عشر دول."], "نحو 21 فيلما"),
    ("كم عملا عرض في المهرجان؟", ["عرض في المهرجان من 1 إلى 8 أغسطس نحو 21 فيلما من عشر دول."], "نحو 21 فيلما"),
    # a date in a clause that has the asked verb beats a more exact date of another event
    ("في أي عام توفي الكاتب؟", ["ولد الكاتب في 14 مارس 1879 في مدينة صغيرة.", "وتوفي الكاتب عام 1955 بعد مرض طويل."],
     "عام 1955"),
    ("متى وقع الاتصال الأول؟", ["وقع الاتصال الأول في 12 تشرين الثاني/ نوفمبر 2020 بين الرئيسين."],
     "12 تشرين الثاني/ نوفمبر 2020"),
    ("في أي عام انتقل الكاتب إلى القاهرة؟", ["ولد الكاتب في 14 مارس، ثم انتقل الكاتب إلى القاهرة عام 1900."],
     "عام 1900"),
    ("متى سقطت المدينة؟", ["سقطت المدينة سنة 1492م بعد حصار طويل دام شهورا."], "سنة 1492م"),
    # the year goes with the day and month, after «عام» or with its era mark glued on
    ("متى بدأت الاحتجاجات؟", ["بدأت الاحتجاجات في 15 آذار عام 2011 في مدينة درعا."], "15 آذار عام 2011"),
    ("متى وقعت الغزوة؟", ["وقعت الغزوة في السابع عشر من رمضان (الموافق 13 مارس 624م) قرب بدر."], "13 مارس 624م"),
    ("متى بدأت المانغا؟", ["بدأت المانغا في 18 يونيو عام 1994 في مجلة أسبوعية."], "18 يونيو عام 1994"),
    # a place, not the adjective made from it, and not the words after a bare name
    ("أين ولد الشاعر؟", ["الشاعر لبناني الأصل، وقد ولد الشاعر في تونس وشب فيها."], "تونس"),
    ("أين يقع المقر الجديد؟", ["يقع المقر الجديد في مدينة الحلة جنوب بغداد منذ عام 2010."], "مدينة الحلة"),
    # a kind of place takes the name after it, not the next phrase behind «و»
    ("أين يقع المعبر؟", ["يقع المعبر على الحدود والطريق الدولي مغلق منذ أشهر."], "الحدود"),
    # a percentage keeps its unit («بالمائة» behind «ب» with the article is still what is counted)
    ("كم بلغت نسبة البطالة؟", ["بلغت نسبة البطالة 12 بالمائة في نهاية العام."], "12 بالمائة"),
    # a continent is kept against a kind of place that is no place, or a later «في …» that names none
    ("أين أقيمت البطولة؟", ["أقيمت البطولة في أوروبا وسط إجراءات أمنية مشددة."], "أوروبا"),
    ("أين أقيمت البطولة؟", ["أقيمت البطولة في أوروبا.", "وأقيمت البطولة في ظروف صعبة."], "أوروبا"),
    # a country named beside a continent is the place asked
    ("أين أقيمت البطولة؟", ["أقيمت البطولة لأول مرة في أوروبا الشرقية وتحديدا في روسيا صيف ذلك العام."], "روسيا"),
    ("أين أقيمت البطولة؟", ["أقيمت البطولة لأول مرة في أوروبا الشرقية.", "واستضافت روسيا البطولة صيف ذلك العام."],
     "روسيا"),
])
def test_the_short_answer_is_the_fact_asked(question, sentences, expected):
    assert short(question, *sentences) == expected


@pytest.mark.parametrize("question, sentences", [
    # a bare title next to the asked words names nobody: no bold guess
    ("من هو رئيس الوزراء؟", ["قال رئيس الوزراء في مؤتمر صحفي إن الحكومة ستعلن خطتها قريبا."]),
    # «ونيسان» beside «هوندا وتويوتا» is a carmaker, not April: a glued month needs a day or a year
    ("متى فتحت الشركات مصانعها؟", ["فتحت كل من هوندا وتويوتا ونيسان مصانع تجميع أمريكية."]),
    # «أكثر من 1,500» is a count, not a date
    ("متى قتل الجنود؟", ["قتل أكثر من 1,500 جندي في المعارك الأخيرة."]),
    # a number only in a clause that shares no asked word is not the count asked
    ("كم عدد المدارس الجديدة؟", ["افتتحت الوزارة المدارس الجديدة، وحضر الحفل 300 ضيف من المدينة."]),
])
def test_no_short_answer_rather_than_a_guess(question, sentences):
    assert short(question, *sentences) is None
