"""A question that names a place is answered only from an article that
names it too, in any of the ways Arabic news writes a place: behind «لل»
(«للسودان») or as its adjective («الحكومة الألمانية»)."""

import json
from types import SimpleNamespace

import pytest

from index.settings import Settings
from qa.api import QA
from qa.finish import ABSTAIN_TEXT, names_missing
from tests.conftest import SAMPLE, build_store

ARTICLES = [
    {"id": "sudan-aid", "title": "مساعدات إنسانية عاجلة", "source": "صحيفة الوطن", "published": "2024-05-02",
     "text": "قدمت المملكة العربية السعودية مساعدات إنسانية عاجلة للسودان بلغت قيمتها 50 مليون دولار.\n\n"
             "وتشمل المساعدات سلالاً غذائية وأدوية تصل إلى المتضررين من الفيضانات خلال الأسابيع المقبلة."},
    {"id": "germany-refugees", "title": "برلين تعلن خطتها للاجئين", "source": "وكالة الأنباء", "published": "2024-05-03",
     "text": "أعلنت الحكومة الألمانية أنها ستستقبل 800 ألف لاجئ هذا العام في أكبر موجة لجوء منذ عقود.\n\n"
             "وقالت وزيرة الداخلية إن الولايات ستحصل على دعم مالي إضافي لإيواء القادمين الجدد."},
    # another article names Germany, so the word is one the store knows
    {"id": "football", "title": "نتيجة مباراة ودية", "source": "وكالة الأنباء", "published": "2024-05-04",
     "text": "فازت ألمانيا على فرنسا بهدفين مقابل هدف في مباراة ودية أقيمت مساء أمس في باريس. "
             "وتلتقي الهند مع اليابان في المباراة التالية."},
    {"id": "tehran", "title": "طهران مدينة كبيرة", "source": "وكالة الأنباء", "published": "2024-05-05",
     "text": "طهران هي عاصمة إيران وأكبر مدينة في البلاد، ويبلغ عدد سكانها نحو 9 ملايين نسمة."},
]


@pytest.fixture(scope="module")
def qa(tmp_path_factory, model_cache, embedder):
    folder = tmp_path_factory.mktemp("places")
    records = folder / "places.jsonl"
    records.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    summary = build_store(folder / "store", [SAMPLE, records], model_cache, embedder)
    assert summary["added"] == 5 and not summary["failed"], summary
    return QA(Settings.from_env(environ={}, store=folder / "store", model_cache=model_cache), embedder=embedder)


@pytest.mark.parametrize("question, article, fact", [
    # the article writes «للسودان»: «ل» + «السودان» with the alif dropped
    ("كم بلغت قيمة المساعدات السعودية إلى السودان؟", "sudan-aid", "50 مليون دولار"),
    # the article names Germany only by its adjective
    ("كم لاجئا ستستقبل ألمانيا؟", "germany-refugees", "800 ألف"),
])
def test_a_place_written_another_way_is_answered(qa, question, article, fact):
    answer = qa.ask(question)
    assert not answer.abstained, answer.text
    assert fact in answer.text
    assert [c.article_id for c in answer.citations][:1] == [article]


@pytest.mark.parametrize("question", [
    "كم بلغت قيمة المساعدات السعودية إلى ليبيا؟",
    # a country the hand-written list lacks: CLDR's names (qa/gazetteer.py)
    "كم يبلغ عدد سكان الهند؟",
    # a country named by its adjective in the question: Tehran is no Moroccan city
    "ما هي أكبر مدينة مغربية؟",
])
def test_a_place_no_article_names_in_any_form_still_abstains(qa, question):
    answer = qa.ask(question)
    assert answer.abstained and answer.text.startswith(ABSTAIN_TEXT), answer.text


def test_the_country_of_the_article_is_answered(qa):
    answer = qa.ask("ما هي أكبر مدينة إيرانية؟")
    assert not answer.abstained and "طهران" in answer.text, answer.text


@pytest.mark.parametrize("question, article, missing", [
    ("ماذا قال ديفيد كاميرون عن الاستفتاء؟", "قال ديفيد كاميرون إن الاستفتاء سيجري", False),  # not «الكاميرون»
    ("من هي هند رجب؟", "هند رجب طفلة من غزة", False),
    ("كم دار نشر في معرض الدمام؟", "افتتح معرض الكتاب وبالدمام وحدها 300 دار", False),
    ("كم دار نشر في معرض الدمام؟", "افتتح معرض أبها للكتاب", True),
    ("ماذا حدث في ليبيا؟", "بدأت الحروب الصليبية", True),  # «الصليبية» does not hold «ليبية»
    ("ماذا حدث في تركيا؟", "ارتفع عدد مشتركي الشبكة", True),  # nor «مشتركي» «تركي»
    ("ما هي أكبر شركة ألمانية؟", "بلغت مبيعات الشركة 5 مليارات", True),  # an indefinite adjective names it too
    ("ما هي أكبر شركة ألمانية؟", "بلغت مبيعات الشركة الألمانية 5 مليارات", False),
    ("ماذا تشترط واشنطن؟", "قالت الولايات المتحدة إنها تشترط", False),  # a capital for its country
])
def test_a_place_is_read_the_same_way_in_the_question_and_the_article(question, article, missing):
    assert names_missing(question, [SimpleNamespace(title="", text=article)]) is missing
