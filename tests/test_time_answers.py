"""Time questions through the real pipeline (a real store, the real e5 model,
the fitted scorer and confidence model) over invented reports of several
days, at a fixed QA_TODAY: the newest report for «آخر», the named day for
«أمس», the absence of a day said with the newest report offered, several
reports newest first and attributed, and the calendar day of «أمس السبت»."""

from __future__ import annotations

import pytest

from index.settings import Settings
from qa.api import QA
from tests.conftest import FIXTURES, build_store

TODAY = "2015-08-11"


@pytest.fixture(scope="module")
def qa(tmp_path_factory, model_cache, embedder):
    path = tmp_path_factory.mktemp("dated") / "store"
    summary = build_store(path, [FIXTURES / "dated_news.jsonl"], model_cache, embedder, today=TODAY)
    assert summary["added"] == 7, summary
    return QA(Settings.from_env(environ={}, store=path, model_cache=model_cache, today=TODAY), embedder=embedder)


def cited(answer):
    return [c.article_id for c in answer.citations]


def test_latest_answers_from_the_newest_report_dated_and_attributed(qa):
    answer = qa.ask("ما آخر إغلاق لمؤشر سوق الأسهم السعودية؟")
    assert not answer.abstained, answer.text
    assert cited(answer)[0] == "market-0810"
    assert "8834.82" in answer.text
    assert answer.text.startswith("بحسب واس (10 أغسطس 2015):")
    assert answer.to_dict()["time_window"] == {"since": None, "until": None, "text": None, "latest": True}


@pytest.mark.parametrize("question, article, figure, day", [
    ("عند أي مستوى أغلق مؤشر سوق الأسهم السعودية أمس؟", "market-0810", "8834.82", "10 أغسطس 2015"),
    ("عند أي مستوى أغلق مؤشر سوق الأسهم السعودية أول أمس؟", "market-0809", "8699.17", "9 أغسطس 2015"),
    ("عند أي مستوى أغلق مؤشر سوق الأسهم السعودية في 8 أغسطس 2015؟", "market-0808", "8650.30", "8 أغسطس 2015"),
    ("عند أي مستوى أغلق مؤشر سوق الأسهم السعودية في 24 شوال 1436 هـ؟", "market-0809", "8699.17", "9 أغسطس 2015"),
])
def test_a_named_day_is_answered_from_that_day(qa, question, article, figure, day):
    answer = qa.ask(question)
    assert not answer.abstained, answer.text
    assert set(cited(answer)) == {article}
    assert figure in answer.text and f"({day})" in answer.text
    assert answer.to_dict()["time_window"]["text"].startswith(day)


def test_a_day_with_nothing_says_so_and_offers_the_newest_report(qa):
    answer = qa.ask("عند أي مستوى أغلق مؤشر سوق الأسهم السعودية في 5 أغسطس 2015؟")
    assert answer.abstained and answer.citations == []
    assert answer.text.startswith("لا تتضمن المقالات المنشورة في 5 أغسطس 2015 إجابة عن هذا السؤال.")
    assert "أحدث تقرير ذي صلة: «مؤشر سوق الأسهم السعودية يرتفع 135 نقطة» (واس، 10 أغسطس 2015)." in answer.text
    assert [s.article_id for s in answer.suggestions] == ["market-0810"]
    assert "8834.82" not in answer.text, "never an answer from another period"


def test_what_the_papers_said_quotes_several_reports_newest_first(qa):
    answer = qa.ask("ماذا قالت الصحف عن تفجير مسجد قوات الطوارئ في أبها؟")
    assert not answer.abstained, answer.text
    ids = cited(answer)
    assert len(set(ids)) >= 2 and ids.index("blast-0807") < ids.index("blast-0806"), ids
    assert "بحسب عكاظ (7 أغسطس 2015):" in answer.text and "بحسب الشرق الأوسط (6 أغسطس 2015):" in answer.text
    assert answer.text.startswith("تختلف التقارير:"), "13 and 15 dead: the reports differ"


def test_latest_toll_gives_the_newest_figure_then_the_earlier_one(qa):
    answer = qa.ask("ما آخر حصيلة لضحايا تفجير مسجد قوات الطوارئ في أبها؟")
    assert not answer.abstained, answer.text
    assert cited(answer)[0] == "blast-0807" and "15" in answer.text
    assert "وقبل ذلك، بحسب الشرق الأوسط (6 أغسطس 2015):" in answer.text


def test_when_gets_the_calendar_day_of_a_relative_one(qa):
    answer = qa.ask("متى شيع أهالي ميسان جثمان الشهيد ممدوح الحارثي؟")
    assert not answer.abstained, answer.text
    assert "أمس السبت" in answer.text and "(8 أغسطس 2015)" in answer.text
    assert answer.short == "8 أغسطس 2015"
