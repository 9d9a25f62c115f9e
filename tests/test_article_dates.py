"""Days an article names relative to its own date (index/dates.py)."""

import datetime as dt

import pytest

from index.dates import event_day, relative_days

MONDAY = dt.date(2015, 8, 10)


@pytest.mark.parametrize("text, day", [
    ("أعلنت الوزارة اليوم الاثنين أن…", dt.date(2015, 8, 10)),
    ("وقال أمس الأحد إن…", dt.date(2015, 8, 9)),
    ("وكانت القوات قد دخلت المدينة أول أمس", dt.date(2015, 8, 8)),
    ("وكانت القوات قد دخلت المدينة أول من أمس", dt.date(2015, 8, 8)),
    ("ويبدأ التسجيل غداً الثلاثاء", dt.date(2015, 8, 11)),
    ("اجتمع المجلس الأحد الماضي", dt.date(2015, 8, 9)),
    ("تنطلق البطولة يوم الخميس المقبل", dt.date(2015, 8, 13)),
    ("عقد الاجتماع الاثنين الماضي", dt.date(2015, 8, 3)),  # published on a Monday: a week back
])
def test_relative_days_resolve_against_the_published_date(text, day):
    found = relative_days(text, MONDAY)
    assert [m.day for m in found] == [day]
    assert text[found[0].start:found[0].end] == found[0].text


def test_the_weekday_the_report_names_wins_over_a_late_crawl_date():
    # crawled (dated) on Tuesday, written on Monday: «اليوم الاثنين» is Monday
    assert relative_days("أعلنت الوزارة اليوم الاثنين", "2015-08-11")[0].day == MONDAY
    assert relative_days("وقال أمس الأحد", "2015-08-11 09:00:00")[0].day == dt.date(2015, 8, 9)


def test_no_date_means_nothing_is_resolved():
    assert relative_days("وقال أمس الأحد", None) == []
    assert event_day("وقال أمس الأحد", None) is None


def test_event_day_is_the_first_relative_day_else_the_published_day():
    assert event_day("وقال أمس الأحد إن…", "2015-08-10") == dt.date(2015, 8, 9)
    assert event_day("قال الوزير إن…", "2015-08-10") == MONDAY
