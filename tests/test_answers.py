"""What a user asking through the real pipeline sees (a real store, the real
e5 model, the fitted scorer and confidence model): the example article's
questions answered precisely and completely, contradicting reports
attributed rather than merged, and abstention when the articles are about
something else."""

from __future__ import annotations

import re
import shutil

import pytest

from index.arabic import DIACRITICS
from index.settings import Settings
from qa.api import QA
from qa.examples import example_questions
from qa.finish import ABSTAIN_TEXT
from qa.select import DISAGREE_TEXT
from tests.conftest import FIXTURES, SAMPLE, build_store
from tests.test_compose import covered

MARKER = re.compile(r"\[\d+\]")


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory, model_cache, embedder):
    """The example article and the invented reports of answers_corpus.jsonl."""
    path = tmp_path_factory.mktemp("answers") / "store"
    summary = build_store(path, [SAMPLE, FIXTURES / "answers_corpus.jsonl"], model_cache, embedder)
    assert summary["added"] == 5, summary
    return path


@pytest.fixture(scope="module")
def qa(corpus_store, model_cache, embedder):
    return QA(Settings.from_env(environ={}, store=corpus_store, model_cache=model_cache), embedder=embedder)


def words(answer) -> int:
    return len(MARKER.sub("", answer.text).split())


# -- the example article ---------------------------------------------------------------------------
def test_when_is_answered_with_the_day(qa):
    answer = qa.ask("متى ستجرى الانتخابات الرئاسية السورية؟")
    assert not answer.abstained
    assert "26" in answer.text and ("أيار" in answer.text or "مايو" in answer.text), answer.text
    assert answer.short and "26" in answer.short
    assert answer.to_dict()["short"]["citation"] == 1  # the quote holding the day is read first
    assert "26" in answer.citations[0].quote and answer.text.index("26") < answer.text.index("[1]"), answer.text


def test_what_was_discussed_lists_the_points(qa):
    answer = qa.ask("ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟")
    assert not answer.abstained
    assert len(covered(answer.text)) >= 4, (covered(answer.text), answer.text)
    assert words(answer) <= 70
    assert len({c.article_id for c in answer.citations}) == 1


def test_every_example_question_the_page_offers_is_answered(store_copy, model_cache, embedder):
    """The web page's example buttons on the default store (the example
    article): each answered with a point of the article, not an abstention,
    not «a statement was issued»."""
    qa = QA(Settings.from_env(environ={}, store=store_copy, model_cache=model_cache), embedder=embedder)
    questions = example_questions(qa)
    assert len(questions) >= 3, questions
    for question in questions:
        answer = qa.ask(question)
        assert not answer.abstained, question
        assert covered(answer.text) or "الروسية" in answer.text, (question, answer.text)
        first = answer.citations[0].quote
        assert not (first.startswith("وحول تفاصيل ما دار") and len(answer.citations) == 1), (question, answer.text)


def test_follow_ups_still_work(qa):
    first = qa.ask("ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟")
    follow = qa.ask("ومتى ستجرى الانتخابات؟", history=[(first.question, first.text)])
    assert not follow.abstained and "26" in follow.text, follow.text


@pytest.mark.parametrize("variant", [
    "مَتَى سَتُجْرَى الانْتِخَابَاتُ الرِّئَاسِيَّةُ السُّورِيَّةُ؟",  # diacritics
    "متـــى ستجـــرى الانتخابـــات الرئاسيـــة السوريـــة؟",  # tatweel
])
def test_diacritics_and_tatweel_change_nothing(qa, variant):
    plain = qa.ask("متى ستجرى الانتخابات الرئاسية السورية؟")
    marked = qa.ask(variant)
    assert DIACRITICS.search(variant) or "\u0640" in variant
    assert [c.quote for c in marked.citations] == [c.quote for c in plain.citations]
    assert marked.short == plain.short


# -- several reports --------------------------------------------------------------------------------
def test_reports_that_differ_in_a_number_are_attributed_not_merged(qa):
    answer = qa.ask("كم شخصا قتل في انفجار سوق الحلة؟")
    assert not answer.abstained
    assert answer.text.startswith(DISAGREE_TEXT), answer.text
    assert "بحسب وكالة أ:" in answer.text or "بحسب وكالة ب:" in answer.text
    assert "أما وكالة" in answer.text
    assert "[1][2]" not in answer.text
    by_source = {c.source: c.quote for c in answer.citations}
    assert "خمسة" in by_source["وكالة أ"] and "اثنا عشر" in by_source["وكالة ب"]


def test_a_place_no_article_mentions_is_not_answered_from_another_city(qa):
    answer = qa.ask("كم عدد دور النشر المشاركة في معرض الكتاب في مدينة الدمام؟")
    assert answer.abstained, answer.text
    assert answer.text.startswith(ABSTAIN_TEXT)


def test_the_same_place_is_answered(qa):
    answer = qa.ask("كم عدد دور النشر المشاركة في معرض أبها للكتاب؟")
    assert not answer.abstained and "320" in answer.text, answer.text
    assert answer.short and "320" in answer.short


def test_after_the_article_is_deleted_its_question_abstains(corpus_store, tmp_path, model_cache, embedder):
    """Another phone call (Obama–Erdogan) is no answer to «what did Assad and Putin discuss»."""
    copy = tmp_path / "store"
    shutil.copytree(corpus_store, copy)
    qa = QA(Settings.from_env(environ={}, store=copy, model_cache=model_cache), embedder=embedder)
    assad = next(a["id"] for a in qa.articles() if a["title"] and "الأسد" in a["title"])
    assert qa.ingest([], delete=[assad])["deleted"] == 1
    answer = qa.ask("ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟")
    assert answer.abstained, answer.text


def test_a_year_in_the_question_keeps_undated_articles(qa):
    """The example article has no date: a question's «في 2021» cannot say it
    is outside the year, so it is still answered from it."""
    answer = qa.ask("متى ستجرى الانتخابات الرئاسية السورية في 2021؟")
    assert answer.to_dict()["time_window"]["since"] == "2021-01-01"
    assert not answer.abstained and "26" in answer.text, answer.text
    assert answer.citations[0].published in (None, "")


def test_the_one_article_default_store_answers_when_and_what_was_said(store_copy, model_cache, embedder):
    """On the default store (the example article alone) every term is in most
    chunks, so «متى» or «قال», which no article needs to hold, must not count
    as terms the store has never seen (they made both abstain)."""
    qa = QA(Settings.from_env(environ={}, store=store_copy, model_cache=model_cache), embedder=embedder)
    when = qa.ask("متى جرى الاتصال بين الأسد وبوتين؟")
    assert not when.abstained and when.short and "26 أبريل" in when.short, when.text
    said = qa.ask("ماذا قال الكرملين؟")
    assert not said.abstained and "الكرملين" in said.text, said.text
    assert qa.ask("ما عاصمة اليابان؟").abstained
