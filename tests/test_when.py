"""Time in questions (qa/when.py): every kind of expression, resolved
against a fixed reference day, as the window a user sees under the answer."""

import datetime as dt

import pytest

from qa.when import parse, span_text, today_from

TODAY = dt.date(2015, 8, 11)  # a Tuesday, the last day of the SaudiNewsNet sample
D = dt.date


def window(question, today=TODAY):
    found = parse(question, today)
    return found.since, found.until


@pytest.mark.parametrize("question, since, until", [
    # explicit Gregorian dates
    ("ماذا حدث في 10 أغسطس 2015؟", D(2015, 8, 10), D(2015, 8, 10)),
    ("ماذا حدث في 10 اغسطس؟", D(2015, 8, 10), D(2015, 8, 10)),  # no year: the latest on or before today
    ("ماذا حدث في ١٠ أغسطس ٢٠١٥؟", D(2015, 8, 10), D(2015, 8, 10)),  # Arabic-Indic digits
    ("أخبار 2015/8/10", D(2015, 8, 10), D(2015, 8, 10)),
    ("أخبار 10/8/2015", D(2015, 8, 10), D(2015, 8, 10)),
    ("أخبار 2015-08-10", D(2015, 8, 10), D(2015, 8, 10)),
    ("ماذا حدث في أغسطس؟", D(2015, 8, 1), D(2015, 8, 31)),
    ("ماذا حدث في يوليو 2015؟", D(2015, 7, 1), D(2015, 7, 31)),
    ("ماذا حدث في تموز؟", D(2015, 7, 1), D(2015, 7, 31)),  # Levantine name
    ("ماذا حدث في 9 آب/ أغسطس 2015؟", D(2015, 8, 9), D(2015, 8, 9)),
    ("ماذا حدث في ديسمبر؟", D(2014, 12, 1), D(2014, 12, 31)),  # a month still ahead this year: last year's
    ("ماذا جرى عام 2015؟", D(2015, 1, 1), D(2015, 12, 31)),
    ("ماذا جرى في 2014؟", D(2014, 1, 1), D(2014, 12, 31)),
    ("من 9 إلى 10 أغسطس 2015 ماذا حدث؟", D(2015, 8, 9), D(2015, 8, 10)),
    ("ماذا حدث بين 9 و10 أغسطس؟", D(2015, 8, 9), D(2015, 8, 10)),
    # Hijri dates as Saudi papers write them (Umm al-Qura)
    ("ماذا حدث في 25 شوال 1436 هـ؟", D(2015, 8, 10), D(2015, 8, 10)),
    ("ماذا حدث في 25 شوال؟", D(2015, 8, 10), D(2015, 8, 10)),
    ("ماذا حدث في 6 شوال 1436 هـ؟", D(2015, 7, 22), D(2015, 7, 22)),
    ("ماذا حدث في شهر رمضان 1436؟", D(2015, 6, 18), D(2015, 7, 16)),
    ("ماذا حدث في 1 ذو القعدة 1436؟", D(2015, 8, 16), D(2015, 8, 16)),
    ("متى يبدأ 10 ذي الحجة 1436 هـ؟", D(2015, 9, 23), D(2015, 9, 23)),
    # relative days and periods
    ("ماذا حدث اليوم في الرياض؟", D(2015, 8, 11), D(2015, 8, 11)),
    ("ماذا حدث أمس في اليمن؟", D(2015, 8, 10), D(2015, 8, 10)),
    ("ماذا حدث البارحة؟", D(2015, 8, 10), D(2015, 8, 10)),
    ("ماذا حدث أول أمس؟", D(2015, 8, 9), D(2015, 8, 9)),
    ("ماذا حدث أول من أمس؟", D(2015, 8, 9), D(2015, 8, 9)),
    ("ماذا سيحدث غداً؟", D(2015, 8, 12), D(2015, 8, 12)),
    ("ماذا حدث يوم الأحد؟", D(2015, 8, 9), D(2015, 8, 9)),
    ("ماذا حدث الثلاثاء الماضي؟", D(2015, 8, 4), D(2015, 8, 4)),  # today is a Tuesday: a week back
    ("ماذا حدث هذا الأسبوع؟", D(2015, 8, 9), D(2015, 8, 11)),  # Saudi weeks start on Sunday
    ("ماذا حدث الأسبوع الماضي؟", D(2015, 8, 2), D(2015, 8, 8)),
    ("ماذا حدث الشهر الماضي؟", D(2015, 7, 1), D(2015, 7, 31)),
    ("ماذا حدث هذا الشهر؟", D(2015, 8, 1), D(2015, 8, 11)),
    ("ماذا حدث العام الماضي؟", D(2014, 1, 1), D(2014, 12, 31)),
    ("ماذا حدث منذ ثلاثة أيام؟", D(2015, 8, 8), D(2015, 8, 11)),
    ("ماذا حدث منذ 3 أيام؟", D(2015, 8, 8), D(2015, 8, 11)),
    ("ماذا حدث منذ أسبوع؟", D(2015, 8, 4), D(2015, 8, 11)),
    ("ماذا حدث قبل يومين؟", D(2015, 8, 9), D(2015, 8, 9)),
    ("ماذا حدث خلال الأيام الثلاثة الماضية؟", D(2015, 8, 8), D(2015, 8, 11)),
])
def test_each_kind_of_expression_gives_its_days(question, since, until):
    assert window(question) == (since, until)


def test_hijri_and_gregorian_name_the_same_day_as_the_corpus_writes_it():
    # an alriyadh dateline of 10 August 2015
    found = parse("ماذا حدث في 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م؟", TODAY)
    assert (found.since, found.until) == (D(2015, 8, 10), D(2015, 8, 10))
    assert found.text == "10 أغسطس 2015 (25 شوال 1436 هـ)"
    assert found.topic == "ماذا حدث؟"


@pytest.mark.parametrize("question", [
    "ما آخر إغلاق لمؤشر سوق الأسهم السعودية؟", "ما أحدث أخبار كورونا؟", "ماذا حدث مؤخراً في عدن؟",
    "ما الجديد في قضية المطالبات المالية؟", "عن آخر تطورات الحرب في اليمن",
])
def test_recency_intent_without_a_date(question):
    found = parse(question, TODAY)
    assert found.latest and not found.dated


@pytest.mark.parametrize("question", [
    "ماذا قال مسؤول آخر عن الحادث؟",  # «آخر» after a noun is "another"
    "ماذا نشرت صحيفة اليوم عن الهلال؟",  # the paper «اليوم»
    "ما هو اليوم الوطني السعودي؟",
    "ماذا قالت الرئاسة السورية؟",
    "كيف تعرف حرب أكتوبر في مصر؟",  # an event's name (an ARCD-train question)
    "ماذا جرى في حرب أكتوبر 1973؟",
    "ماذا حدث في ثورة 25 يناير؟",
])
def test_words_that_look_like_time_but_are_not(question):
    found = parse(question, TODAY)
    assert not found.dated and not found.latest


def test_the_topic_is_the_question_without_its_time_words():
    assert parse("ماذا حدث أمس في اليمن؟", TODAY).topic == "ماذا حدث في اليمن؟"
    assert parse("ما آخر إغلاق لمؤشر سوق الأسهم السعودية؟", TODAY).topic == "ما إغلاق لمؤشر سوق الأسهم السعودية؟"
    assert parse("كم بلغ عدد الإصابات في 10 أغسطس 2015؟", TODAY).topic == "كم بلغ عدد الإصابات؟"


def test_several_reports_are_asked_for_by_naming_the_papers():
    assert parse("ماذا قالت الصحف عن تفجير أبها؟", TODAY).several
    assert not parse("ماذا قال الأمير عن تفجير أبها؟", TODAY).several


@pytest.mark.parametrize("since, until, text", [
    (D(2015, 8, 10), D(2015, 8, 10), "10 أغسطس 2015"),
    (D(2015, 8, 9), D(2015, 8, 10), "من 9 إلى 10 أغسطس 2015"),
    (D(2015, 7, 28), D(2015, 8, 3), "من 28 يوليو إلى 3 أغسطس 2015"),
    (D(2014, 12, 28), D(2015, 1, 3), "من 28 ديسمبر 2014 إلى 3 يناير 2015"),
    (D(2015, 8, 1), D(2015, 8, 31), "أغسطس 2015"),
    (D(2015, 1, 1), D(2015, 12, 31), "2015"),
    (D(2015, 8, 1), None, "منذ 1 أغسطس 2015"),
    (None, D(2015, 8, 1), "حتى 1 أغسطس 2015"),
])
def test_window_text_is_how_a_reader_writes_a_span(since, until, text):
    assert span_text(since, until) == text


def test_the_window_json():
    found = parse("ماذا حدث من 9 إلى 10 أغسطس 2015؟", TODAY)
    assert found.to_dict() == {"since": "2015-08-09", "until": "2015-08-10", "text": "من 9 إلى 10 أغسطس 2015",
                               "latest": False}


def test_reference_day_comes_from_qa_today():
    assert today_from("2015-08-11") == TODAY
    assert today_from("") == dt.date.today()
    with pytest.raises(ValueError, match="QA_TODAY"):
        today_from("yesterday")
    assert window("ماذا حدث أمس؟", today=D(2015, 8, 1)) == (D(2015, 7, 31), D(2015, 7, 31))


def test_the_window_narrows_a_given_date_filter():
    from qa.inputs import filters
    from qa.recency import narrow

    window = parse("ماذا حدث الأسبوع الماضي؟", TODAY)  # 2 to 8 August
    assert (narrow(filters(None, None, None), window).since, narrow(filters(None, None, None), window).until) \
        == (20150802, 20150808)
    assert narrow(filters(None, None, None), window).undated  # an undated article may be of that week
    both = narrow(filters(["الرياض"], "2015-08-05", "2015-12"), window)
    assert (both.since, both.until, both.sources) == (20150805, 20150808, ["الرياض"])
    assert not both.undated  # the caller's own dates leave undated articles out, as without a window
    assert narrow(filters(None, "2015-07", None), parse("ما آخر الأخبار؟", TODAY)).since == 20150701


@pytest.mark.parametrize("question, since, until", [
    ("كم حالة كورونا رصدت منذ عام 1433هـ؟", D(2011, 11, 26), TODAY),
    ("ماذا تغير منذ 2012؟", D(2012, 1, 1), TODAY),
    ("ماذا حدث منذ 1 أغسطس؟", D(2015, 8, 1), TODAY),
])
def test_since_a_date_runs_to_today(question, since, until):
    assert window(question) == (since, until)
