"""The abstention model: its inputs, its shipped weights, and the BM25 idf it reads."""

import json
from pathlib import Path

import pytest

from index.documents import Article
from index.lexical import ChunkRef, LexicalIndex
from index.settings import ABSTAIN_THRESHOLD
from qa import confidence

CALIBRATION = Path(__file__).resolve().parent.parent / "bench" / "results" / "calibration.json"


def test_shipped_model_is_the_calibrated_one():
    """The constants in qa/confidence.py and index/settings.py are what
    `python -m bench --condition calibration --size full` wrote."""
    calibration = json.loads(CALIBRATION.read_text(encoding="utf-8"))
    assert confidence.MODEL == calibration["model"]
    assert confidence.MODEL_WITHOUT_DENSE == calibration["model_without_dense"]
    assert ABSTAIN_THRESHOLD == calibration["threshold"]


@pytest.mark.parametrize("feature", confidence.FEATURES)
def test_more_evidence_never_lowers_confidence(feature):
    base = {"support": 0.5, "article_coverage": 0.5, "dense": 0.85}
    more = {**base, feature: base[feature] + 0.1}
    assert confidence.probability(more) > confidence.probability(base)
    assert 0.0 < confidence.probability(base) < 1.0


def test_without_a_cosine_the_lexical_model_decides():
    evidence = {"support": 0.9, "article_coverage": 1.0, "dense": None}
    assert confidence.probability(evidence) == confidence.probability(evidence, confidence.MODEL_WITHOUT_DENSE)
    assert confidence.probability(evidence) > ABSTAIN_THRESHOLD
    assert confidence.probability({**evidence, "support": 0.1, "article_coverage": 0.0}) < ABSTAIN_THRESHOLD


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
