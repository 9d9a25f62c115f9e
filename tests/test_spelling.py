"""A question's spelling repaired before it is searched: glued question
words split, and a word the store lacks looked up in its other common
spellings."""

import pytest

from index.settings import Settings
from qa.api import QA
from qa.spelling import respell, spellings, unglue
from tests.conftest import FIXTURES, build_store


def test_glued_question_words_are_split():
    assert unglue("ماهو السرطان؟") == "ما هو السرطان؟"
    assert unglue("ماهي عاصمة بلجيكا؟") == "ما هي عاصمة بلجيكا؟"
    assert unglue("ماسم الفريق؟") == "ما اسم الفريق؟"


def test_other_words_are_left_as_typed():
    assert unglue("ماهر وماهرة") == "ماهر وماهرة"
    assert unglue("ما هو السرطان؟") == "ما هو السرطان؟"


def test_the_spellings_tried_are_the_rules_and_no_others():
    assert spellings("لسويسرا") == ["سويسرا"]
    assert spellings("ولسويسرا") == ["وسويسرا"]  # the conjunction stays
    assert spellings("للتلميذ") == ["لتلميذ", "التلميذ"]
    assert spellings("الشيوعى") == ["الشيوعي"]
    assert spellings("مدرسه") == ["مدرسة"]
    # too short to be a proclitic and a word; no letter swapped inside a word
    assert spellings("لعب") == [] and spellings("تسلا") == []


@pytest.fixture(scope="module")
def qa(tmp_path_factory, model_cache, embedder):
    path = tmp_path_factory.mktemp("spelling") / "store"
    assert build_store(path, [FIXTURES / "small_corpus.jsonl"], model_cache, embedder)["added"] == 3
    return QA(Settings.from_env(environ={}, store=path, model_cache=model_cache), embedder=embedder)


def test_a_word_the_store_lacks_is_searched_in_the_spelling_it_has(qa):
    idf = qa.store.idf
    # the store has «قطار» and «الوطني», not «لقطار» or «الوطنى»
    assert respell("كم محطة لقطار الرياض؟", idf) == "كم محطة قطار الرياض؟"
    assert respell("ما دور المركز الوطنى للنخيل؟", idf) == "ما دور المركز الوطني للنخيل؟"
    # «للتمور» is left: light stemming already reads «لل» as «ال»
    assert respell("ما قيمة صادرات المملكة للتمور؟", idf) == "ما قيمة صادرات المملكة للتمور؟"
    # a word it has as typed, or has in no spelling at all, is left alone
    assert respell("لماذا علقت الدراسة في جدة؟", idf) == "لماذا علقت الدراسة في جدة؟"
    assert respell("كم سعر سيارة لتسلا؟", idf) == "كم سعر سيارة لتسلا؟"
    assert respell("كم محطة لقطار الرياض؟", None) == "كم محطة لقطار الرياض؟"


@pytest.mark.parametrize("question, quoted, article", [
    ("ماذا حدث لقطار الرياض؟", "افتتحت الهيئة الملكية لمدينة الرياض المرحلة الأولى", "riyadh-metro"),
    ("لماذا علقت الدراسة بجدة؟", "تعليق الدراسة الحضورية", "jeddah-rain"),
])
def test_a_question_with_a_proclitic_gets_the_answer_not_an_abstention(qa, question, quoted, article):
    # as typed, «لقطار»/«بجدة» is a term no chunk has, and the answer abstained
    answer = qa.ask(question)
    assert not answer.abstained, answer.text
    assert quoted in answer.text and answer.citations[0].article_id == article
    assert answer.question == question  # the user's question is shown as asked


def test_what_happened_is_answered_from_an_article_that_never_says_happened(qa):
    # «حدث» asks what happened; counted as a term no article has, it made the answer abstain
    answer = qa.ask("ما الذى حدث فى جدة؟")
    assert not answer.abstained, answer.text
    assert "أمطاراً غزيرة" in answer.text and answer.citations[0].article_id == "jeddah-rain"
