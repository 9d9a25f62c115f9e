"""The fitted models the answer side ships (abstention and sentence scorer):
what the benchmark wrote, with the command that made them; and the signals
the abstention model reads."""

import json
from pathlib import Path

import numpy as np
import pytest

from index.documents import Article
from index.lexical import ChunkRef, LexicalIndex
from qa import confidence
from qa.features import FEATURES
from qa.scorer import DEFAULT_PATH, SentenceScorer

RESULTS = Path(__file__).resolve().parent.parent / "bench" / "results"


def test_shipped_confidence_model_is_the_calibrated_one():
    """qa/models/confidence.json is what `python -m bench --condition calibration --size full` wrote."""
    calibration = json.loads((RESULTS / "calibration.json").read_text(encoding="utf-8"))
    shipped = confidence.shipped()
    assert shipped["command"] == "python -m bench --condition calibration --size full"
    assert shipped["model"] == calibration["model"] and shipped["threshold"] == calibration["threshold"]
    assert shipped["model_without_vectors"] == calibration["model_without_vectors"]
    assert set(shipped["model"]["coefficients"]) == set(confidence.FEATURES)
    assert 0.0 < confidence.threshold() < 1.0


def test_shipped_scorer_is_the_fitted_one():
    model = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    report = json.loads((RESULTS / "scorer.json").read_text(encoding="utf-8"))
    assert model["command"] == "python -m bench --condition scorer --size full"
    assert model["features"] == list(FEATURES) and len(model["weights"]) == len(FEATURES)
    assert model["select"]["cost_per_word"] == report["cost_per_word"] and model["l2"] == report["l2"]
    scorer = SentenceScorer.default()
    z, p = scorer.score(np.zeros((3, len(FEATURES))))
    assert p.sum() == pytest.approx(1.0) and len(z) == 3


def test_a_scorer_fitted_on_other_features_is_refused():
    from qa.scorer import ScorerError

    model = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    with pytest.raises(ScorerError, match="refit it: python -m bench --condition scorer"):
        SentenceScorer({**model, "features": model["features"][:-1]})


def test_without_a_cosine_the_model_without_vectors_decides():
    evidence = {k: 0.5 for k in confidence.FEATURES} | {"dense": None}
    assert confidence.probability(evidence) == confidence.probability(evidence,
                                                                      confidence.shipped()["model_without_vectors"])
    assert 0.0 < confidence.probability(evidence) < 1.0


ARTICLE = Article("a", "فوز الهلال على النصر", "سجل سالم الدوسري هدفين في مباراة الديربي بالرياض.")


def test_article_coverage_weighs_rare_terms():
    assert confidence.article_coverage("سجل الدوسري هدفين في الديربي", ARTICLE) == pytest.approx(1.0)
    assert confidence.article_coverage("من فاز في الانتخابات الفرنسية؟", ARTICLE) == 0.0
    assert confidence.article_coverage("من فاز بالمباراة؟", None) == 0.0
    question = "هل سجل الدوسري في مباراة باريس؟"  # باريس is missing
    flat = confidence.article_coverage(question, ARTICLE)
    # when the missing word is the rare one, it costs more
    rare_missing = confidence.article_coverage(question, ARTICLE, idf=lambda ts: {t: 5.0 if "بار" in t else 1.0
                                                                                  for t in ts})
    assert 0.0 < rare_missing < flat < 1.0


def test_lexical_idf_is_higher_for_rarer_terms():
    texts = ["الهلال فاز", "الهلال خسر", "الهلال تعادل", "النصر فاز"]
    refs = [ChunkRef(str(i), str(i), "", 0) for i in range(len(texts))]
    index = LexicalIndex.build(refs, texts, "r1")
    from index.arabic import content_terms

    hilal, nasr, unseen = content_terms("الهلال")[0], content_terms("النصر")[0], content_terms("برشلونة")[0]
    idf = index.idf([hilal, nasr, unseen])
    assert idf[hilal] < idf[nasr] < idf[unseen]


def test_missing_rare_terms_and_quoted_coverage():
    idf = lambda ts: {t: (9.0 if t == confidence.UNSEEN else 5.0 if "بار" in t else 1.0) for t in ts}  # noqa: E731
    question = "هل سجل الدوسري في مباراة باريس؟"
    assert confidence.missing_rare(question, [ARTICLE], idf) == pytest.approx(5.0 / 9.0)  # باريس is missing
    assert confidence.missing_rare("سجل الدوسري هدفين", [ARTICLE], idf) == 0.0
    assert confidence.text_coverage("سجل الدوسري هدفين", ["سجل سالم الدوسري هدفين"]) == pytest.approx(1.0)
    assert confidence.text_missing_rare(question, ["سجل الدوسري"], idf) == pytest.approx(5.0 / 9.0)


def test_phrases_count_only_where_the_question_s_words_stand_together():
    from index.arabic import content_terms

    question = "كم عدد الاعتراضات التي سجلها دفاع البانثرز؟"
    # the paragraph the question was written from keeps its phrases
    source = "سجل دفاع فريق البانثرز أربعة اعتراضات، وبلغ عدد الاعتراضات في الموسم كله 24"
    # an article on the same topic has every word, scattered
    scattered = ("تحدث مدرب البانثرز عن خطة الفريق الجديدة. وفي موسم آخر سجلت فرق كثيرة اعتراضات "
                 "على الحكام. وقال إن الدفاع تحسن كثيرا وإن عدد المشجعين كبير")
    assert confidence.text_coverage(question, [scattered]) == pytest.approx(1.0)
    assert confidence.phrase_coverage(question, [scattered]) == 0.0
    assert confidence.phrase_coverage(question, [source]) > 0.5
    # a pair weighs as its commoner word: with «عدد»، «اعتراض»، «سجل» common, «دفاع البانثرز» is most of it
    idf = lambda ts: {t: 0.1 if t in content_terms("عدد الاعتراضات سجل") else 1.0 for t in ts}  # noqa: E731
    only_team = "سجل دفاع البانثرز"
    assert confidence.phrase_coverage(question, [only_team], idf) > confidence.phrase_coverage(question, [only_team])
    assert confidence.phrase_coverage("البانثرز؟", [source]) == 0.0  # one term makes no phrase
    assert confidence.phrase_coverage(question, []) == 0.0
