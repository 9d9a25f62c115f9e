"""The extractive composer and the shared finishing step on the example
article (cleaned by hand, see fixtures/sample_article_clean.txt) and a few
small invented articles, with the real multilingual-e5-small embedder where
embeddings matter and the fitted sentence scorer and confidence model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from index import arabic
from index.chunk import chunk_article, split_sentences
from index.documents import Article
from index.embed import Embedder
from index.settings import Settings
from qa import confidence
from qa.answer import Answer, Passage
from qa.attribution import attribution
from qa.finish import ABSTAIN_TEXT
from qa.pipeline import compose, compose_stream
from qa.question import analyze, answer_cue, word_keys
from qa.select import DISAGREE_TEXT

FIXTURES = Path(__file__).parent / "fixtures"
MARKER = re.compile(r"\[(\d+)\]")
MARKER_GROUP = re.compile(r"(?:\[\d+\])+")

FIRST_TURN = "ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟"
DISCUSSED = ("تطورات الأوضاع", "القضايا", "العلاقات الاقتصادية", "اللجنة الدستورية", "الاستعدادات",
             "مسائل ذات اهتمام مشترك")
# The six things the article says the two discussed, each by words only its sentence has.
TOPICS = {
    "political situation": ("الأوضاع السياسية", "الحل السياسي"),
    "constitutional committee": ("اللجنة الدستورية",),
    "economic, trade and humanitarian relations": ("العلاقات الاقتصادية",),
    "the virus and Russian vaccines": ("كورونا", "اللقاحات"),
    "the election preparations": ("الاستعدادات", "لانتخابات الرئاسة"),
    "Western sanctions and Ukraine": ("العقوبات الغربية", "أوكرانيا"),
}


# -- fixtures ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def embedder(tmp_path_factory):
    return Embedder(Settings.from_env(model_cache=tmp_path_factory.mktemp("models")))


@pytest.fixture(scope="module")
def sample() -> Article:
    text = (FIXTURES / "sample_article_clean.txt").read_text(encoding="utf-8").strip()
    return Article("fd500e0c9f5cd60f", "اتصال هاتفي بين بشار الأسد وبوتين بشأن الأوضاع الاقتصادية والحل في سوريا",
                   text, source="طيف بوست", url="https://example.org/assad-putin", published="2021-04-26")


def passages_of(*articles: Article, size: int = 600) -> list[Passage]:
    """Every chunk of the articles, as retrieval would hand them over (RRF-like scores)."""
    chunks = [(a, c) for a in articles for c in chunk_article(a.id, a.text, size=size)]
    return [Passage(f"{a.id}:{c.position}", a, c.start, c.end, 1 / (60 + rank))
            for rank, (a, c) in enumerate(chunks)]


def sentence_passage(article: Article, contains: str, score: float = 0.03) -> Passage:
    span = next(s for s in split_sentences(article.text) if contains in article.text[s.start:s.end])
    return Passage(f"{article.id}:{span.start}", article, span.start, span.end, score)


def article(id_: str, title: str, *paragraphs: str, source: str = "وكالة") -> Article:
    return Article(id_, title, "\n\n".join(paragraphs), source=source)


SHARED_SENTENCE = "أعلنت وزارة الصحة الأردنية تسجيل 120 إصابة جديدة بفيروس كورونا يوم الثلاثاء في العاصمة عمّان."
CASES_A = article("cases-a", "الأردن يسجل إصابات جديدة بكورونا",
                  SHARED_SENTENCE,
                  "وقالت الوزارة إن معظم الإصابات سجلت بين طلاب المدارس.",
                  "ودعت المواطنين إلى الالتزام بارتداء الكمامات في الأماكن العامة.", source="وكالة الأنباء")
CASES_B = article("cases-b", "120 إصابة بكورونا في الأردن",
                  "نقلت صحف محلية الخبر صباح الأربعاء عن مصادر رسمية.",
                  SHARED_SENTENCE.replace("أعلنت", "وأعلنت"),
                  "وتستعد الحكومة لإطلاق حملة تطعيم في المحافظات الشمالية.", source="صحيفة المساء")
FOOTBALL = article("football", "الهلال يفوز على النصر",
                   "فاز فريق الهلال على النصر بثلاثة أهداف مقابل هدف في مباراة الدوري السعودي مساء الجمعة.",
                   "وسجل المهاجم أهداف الهلال الثلاثة في الشوط الثاني من المباراة.",
                   "ويتصدر الهلال ترتيب الدوري برصيد 40 نقطة.", source="الرياضية")


# -- what every answer must satisfy --------------------------------------------------------
def check_answer(answer: Answer, passages: list[Passage]) -> None:
    """Quotes are exact slices of their articles, markers are exactly 1..N in order
    of first appearance, and only handed-over articles are cited."""
    articles = {p.article.id: p.article for p in passages}
    assert isinstance(answer, Answer) and 0.0 <= answer.confidence <= 1.0
    if answer.abstained:
        assert answer.citations == [] and answer.text.startswith(ABSTAIN_TEXT)
        assert not MARKER.search(answer.text)
        return
    numbers = [int(n) for n in MARKER.findall(answer.text)]
    first_seen = list(dict.fromkeys(numbers))
    assert first_seen == list(range(1, len(answer.citations) + 1))
    assert [c.n for c in answer.citations] == first_seen
    assert answer.text.rstrip().endswith("]")
    for citation in answer.citations:
        source = articles[citation.article_id]
        assert source.text[citation.start:citation.end] == citation.quote
        assert citation.title == source.title
        assert citation.chunk_id.startswith(source.id)
    check_markers(answer)


def check_markers(answer: Answer) -> None:
    """Each sentence is followed by its markers; a group «[1][2]» cites the same
    sentence in two articles, each quoted in its own words."""
    by_n = {c.n: c for c in answer.citations}
    for group in MARKER_GROUP.findall(answer.text):
        first, *copies = [by_n[int(n)] for n in MARKER.findall(group)]
        assert f"{first.quote} {group}" in answer.text
        for copy in copies:
            a, b = set(arabic.words(first.quote)), set(arabic.words(copy.quote))
            assert copy.article_id != first.article_id and len(a & b) / len(a | b) >= 0.6


def ask(question: str, passages: list[Passage], **kwargs) -> Answer:
    answer = compose(question, passages, **kwargs)
    check_answer(answer, passages)
    return answer


# -- question analysis -------------------------------------------------------------------------
@pytest.mark.parametrize("question, kind", [
    ("متى ستجرى الانتخابات؟", "when"),
    ("ومتى ستجرى الانتخابات؟", "when"),
    ("في أي عام بدأت الحرب؟", "when"),
    ("كم عدد اللقاحات؟", "count"),
    ("ما رقم قرار مجلس الأمن؟", "count"),
    ("من أجرى الاتصال؟", "who"),
    ("ومن أعلن موعد الانتخابات؟", "who"),
    ("ماذا نقلت الوكالة من دمشق؟", "what"),  # «من» here is "from"
    ("أين تقع اللجنة؟", "where"),
    ("من أين بدأت الرحلة؟", "where"),
    ("لماذا ترفض واشنطن الانتخابات؟", "why"),
    ("كيف ستصل اللقاحات؟", "how"),
    ("هل ناقش الأسد وبوتين الانتخابات؟", "yesno"),
    ("ما هي اللجنة الدستورية؟", "what"),
    ("؟؟!!", "other"),
    ("مَتـى سَتُجرى الإنتخابات؟", "when"),  # diacritics, tatweel and alef variants normalise
])
def test_question_kind(question, kind):
    assert analyze(question).kind == kind


def test_question_terms_leave_out_question_words():
    asked = analyze("ومتى ستجرى الانتخابات؟")
    assert asked.terms == ("ستجري", "الانتخابات")
    assert analyze("وماذا قالت الرئاسة السورية؟").reported
    assert analyze("what football results?").terms == ("what", "football", "results")


def test_word_keys_match_clitic_and_plural_forms():
    assert word_keys("الانتخابات") & word_keys("لانتخابات") & word_keys("للانتخابات")
    assert word_keys("بيان") & word_keys("البيان") & word_keys("بيانا")
    assert word_keys("قالت") & word_keys("ذكرت")  # any reporting verb answers «قالت»
    assert not word_keys("الانتخابات") & word_keys("اللقاحات")


@pytest.mark.parametrize("kind, sentence, expected", [
    ("when", "ستجرى يوم 26 من شهر أيار القادم", 1.0),
    ("when", "في كانون الثاني الماضي", 1.0),
    ("when", "عقد الاجتماع يوم الاثنين", 1.0),
    ("when", "قبل عدة أيام", 0.5),
    ("when", "ناقش الطرفان العلاقات الثنائية", 0.0),
    ("count", "قرار مجلس الأمن رقم 2254", 1.0),
    ("count", "أرسلت ثلاثة ملايين جرعة", 0.7),
    ("why", "تأجلت المباراة بسبب الأمطار", 1.0),
    ("how", "تصل اللقاحات من خلال الأردن", 1.0),
    ("where", "وصل الوفد إلى دمشق", 1.0),
    ("what", "أي جملة", 0.0),
])
def test_answer_cue(kind, sentence, expected):
    assert answer_cue(kind, arabic.words(sentence)) == expected


# -- attribution -----------------------------------------------------------------------------------
def test_attribution_resolves_the_statement_behind_a_bare_albayan(sample):
    spans = split_sentences(sample.text)
    at = {i: attribution(sample.text, spans, i) for i in range(len(spans))}
    quote = {i: sample.text[s.start:s.end] for i, s in enumerate(spans)}
    kremlin = next(i for i in quote if quote[i].startswith("وذكر البيان"))
    syrian = next(i for i in quote if quote[i].startswith("من جهتها"))
    denial = next(i for i in quote if quote[i].startswith("ولم يأتي"))
    assert at[kremlin].label == "بيان الكرملين" and not at[kremlin].negated
    assert at[syrian].label == "بيان الرئاسة السورية"
    assert at[denial].label == "بيان الرئاسة السورية" and at[denial].negated
    assert at[0] is None  # «أجرى…» reports nobody


# -- answers from the example article ---------------------------------------------------------------
def covered(text: str) -> list[str]:
    return [topic for topic, words_ in TOPICS.items() if any(w in text for w in words_)]


@pytest.mark.parametrize("question", [FIRST_TURN, "ماذا دار بين بشار الأسد وبوتين؟", "ما تفاصيل الاتصال الهاتفي بين بشار الأسد وبوتين؟"])
def test_a_broad_question_gets_the_distinct_points(sample, embedder, question):
    """«ماذا ناقش…» lists what the article says was discussed, not the two
    best-scoring sentences, and never the bare «the Kremlin issued a statement»."""
    answer = ask(question, passages_of(sample), embedder=embedder)
    assert not answer.abstained
    assert len(covered(answer.text)) >= 4, (covered(answer.text), answer.text)
    assert {c.article_id for c in answer.citations} == {sample.id}
    assert len(MARKER.sub("", answer.text).split()) <= 70
    quotes = [c.quote for c in answer.citations]
    assert len(quotes) == len(set(quotes)) and not any(q.startswith("وحول تفاصيل ما دار") for q in quotes)


def test_when_gets_the_most_precise_date_the_article_gives(sample, embedder):
    """«أواخر شهر مايو» is in the sentence that names the elections; the day,
    «يوم 26 من شهر أيار/ مايو», two paragraphs later: the answer has the day."""
    answer = ask("متى ستجرى الانتخابات الرئاسية السورية؟", passages_of(sample), embedder=embedder)
    assert not answer.abstained and answer.kind == "when"
    assert "26" in answer.text and ("أيار" in answer.text or "مايو" in answer.text)
    assert answer.short is not None and "26" in answer.short and answer.short in answer.text
    holder = next(c for c in answer.citations if c.n == answer.short_citation)
    assert answer.short in holder.quote
    assert answer.to_dict()["short"] == {"text": answer.short, "citation": answer.short_citation}


@pytest.mark.parametrize("question, expected", [
    ("ما رقم قرار مجلس الأمن الذي تشترطه واشنطن للاعتراف بالانتخابات؟", "2254"),
    ("من أعلن موعد الانتخابات الرئاسية السورية؟", "مجلس الشعب"),
])
def test_short_answers_name_the_fact(sample, embedder, question, expected):
    answer = ask(question, passages_of(sample), embedder=embedder)
    assert not answer.abstained and answer.short is not None and expected in answer.short, answer.short


def test_follow_up_when_uses_context_terms(sample, embedder):
    context = arabic.content_terms(FIRST_TURN)
    answer = ask("ومتى ستجرى الانتخابات؟", passages_of(sample), embedder=embedder, context_terms=context)
    assert not answer.abstained and answer.kind == "when"
    assert any(part in answer.text for part in ("26", "أيار", "مايو"))


def test_follow_up_what_did_the_syrian_presidency_say(sample, embedder):
    context = arabic.content_terms(FIRST_TURN)
    answer = ask("وماذا قالت الرئاسة السورية؟", passages_of(sample), embedder=embedder, context_terms=context)
    assert not answer.abstained
    quote = answer.citations[0].quote
    assert "الرئاسة السورية" in quote and ("بيان" in quote or "نشرت" in quote)


@pytest.mark.parametrize("use_embedder", [True, False])
def test_disagreeing_statements_are_both_attributed(sample, embedder, use_embedder):
    answer = ask("هل ناقش الأسد وبوتين الانتخابات؟", passages_of(sample),
                 embedder=embedder if use_embedder else None)
    assert answer.text.startswith(DISAGREE_TEXT)
    assert "بحسب بيان الكرملين:" in answer.text and "أما بيان الرئاسة السورية:" in answer.text
    quotes = [c.quote for c in answer.citations]
    assert len(quotes) == 2 and quotes[1].startswith("ولم يأتي")
    assert "انتخابات" in quotes[0] or "الانتخابات" in quotes[0]
    assert answer.text.index("الكرملين:") < answer.text.index("[1]") < answer.text.index("أما")


@pytest.mark.parametrize("use_embedder", [True, False])
def test_number_question_picks_the_sentence_with_the_number(sample, embedder, use_embedder):
    answer = ask("ما رقم قرار مجلس الأمن الذي تشترطه واشنطن للاعتراف بالانتخابات؟", passages_of(sample),
                 embedder=embedder if use_embedder else None)
    assert answer.kind == "count" and not answer.abstained
    assert "2254" in answer.text.split("[1]")[0]


def test_neighbouring_sentence_outside_the_passage_is_considered(sample):
    passage = sentence_passage(sample, "وركز البيان الصادر عن النظام السوري")
    answer = ask("متى ستجرى انتخابات الرئاسة السورية؟", [passage])
    assert "26" in answer.text
    assert answer.citations[0].chunk_id == passage.chunk_id


def test_max_answer_sentences_is_respected(sample):
    settings = Settings(max_answer_sentences=1)
    answer = ask("هل ناقش الأسد وبوتين الانتخابات؟", passages_of(sample), settings=settings)
    assert len(answer.citations) == 1 and not answer.text.startswith(DISAGREE_TEXT)


# -- several articles ---------------------------------------------------------------------------------
def test_the_same_sentence_in_two_articles_cites_both(embedder):
    passages = passages_of(CASES_A, FOOTBALL, CASES_B)
    answer = ask("كم إصابة جديدة بكورونا سجلت في الأردن؟", passages, embedder=embedder)
    assert not answer.abstained
    first = answer.text.split("[1]")[0]
    assert "120" in first and "[1][2]" in answer.text
    assert {c.article_id for c in answer.citations[:2]} == {"cases-a", "cases-b"}
    assert answer.citations[1].quote.startswith("وأعلنت")  # each article quoted in its own words


def test_answer_cites_only_the_article_holding_the_quote(sample, embedder):
    passages = passages_of(FOOTBALL, sample, CASES_A)
    answer = ask("من سجل أهداف الهلال؟", passages, embedder=embedder)
    assert not answer.abstained
    assert {c.article_id for c in answer.citations} == {"football"}


# -- abstaining ----------------------------------------------------------------------------------------
def test_abstains_on_an_unrelated_question(sample, embedder):
    passages = passages_of(sample)
    answer = ask("ما نتيجة مباراة الهلال والنصر في الدوري السعودي؟", passages, embedder=embedder)
    assert answer.abstained and answer.citations == []
    assert [s.article_id for s in answer.suggestions] == [sample.id]
    assert f"«{sample.title}»" in answer.text
    assert answer.confidence < confidence.threshold()


@pytest.mark.parametrize("question", ["؟؟!!", "...", "what were the football results?", "123"])
@pytest.mark.parametrize("use_embedder", [True, False])
def test_punctuation_and_latin_questions_abstain(sample, embedder, question, use_embedder):
    answer = ask(question, passages_of(sample), embedder=embedder if use_embedder else None)
    assert answer.abstained


def test_no_passages_abstains_without_suggestions():
    answer = ask(FIRST_TURN, [])
    assert answer.abstained and answer.suggestions == [] and answer.text == ABSTAIN_TEXT
    assert answer.confidence == 0.0


def test_suggestions_are_deduplicated_by_article(sample):
    passages = passages_of(sample, FOOTBALL, size=300)
    answer = ask("كم سعر برميل النفط اليوم؟", passages)
    assert answer.abstained
    ids = [s.article_id for s in answer.suggestions]
    assert sorted(ids) == sorted({sample.id, "football"})


def test_threshold_comes_from_settings(sample):
    passages = passages_of(sample)
    unrelated = "ما نتيجة مباراة الهلال والنصر؟"
    assert not ask(unrelated, passages, settings=Settings(abstain_threshold=-1.0)).abstained
    assert ask(unrelated, passages, settings=Settings()).abstained  # None: the calibrated threshold
    assert ask(FIRST_TURN, passages, settings=Settings(abstain_threshold=1.01)).abstained  # above any probability


# -- output shapes ---------------------------------------------------------------------------------------
def test_stream_grows_and_ends_with_the_answer(sample):
    passages = passages_of(sample)
    parts = list(compose_stream("هل ناقش الأسد وبوتين الانتخابات؟", passages))
    texts, final = parts[:-1], parts[-1]
    assert isinstance(final, Answer) and texts[-1] == final.text
    assert all(isinstance(t, str) for t in texts) and len(texts) > 3
    assert all(b.startswith(a) and len(b) > len(a) for a, b in zip(texts, texts[1:]))
    assert final.text == compose("هل ناقش الأسد وبوتين الانتخابات؟", passages).text


def test_to_dict_keeps_its_exact_keys(sample):
    answer = ask(FIRST_TURN, passages_of(sample))
    payload = answer.to_dict()
    # the generative composer added "composer", "note" and "dropped" after the older keys
    assert list(payload) == ["question", "answer", "abstained", "citations", "short", "time_window", "composer", "note",
                             "dropped"]
    assert (payload["composer"], payload["note"], payload["dropped"]) == ("extractive", None, 0)
    dumped = json.dumps(payload, ensure_ascii=False)
    assert "الأسد" in dumped and json.loads(dumped)["citations"][0]["n"] == 1


def test_the_short_answers_quote_leads_unless_prefixes_fix_the_order():
    """«متى…»: the quote holding the day (the bold short answer) is read
    first; dated or attributed quotes keep their order."""
    from types import SimpleNamespace

    from qa.select import Segment, lead_with

    late_may, day = SimpleNamespace(text="…أواخر شهر مايو"), SimpleNamespace(text="…يوم 26 من شهر أيار")
    segments = [Segment(late_may), Segment(day)]
    assert [s.sentence for s in lead_with(segments, day)] == [day, late_may]
    assert lead_with(segments, None) == segments
    dated = [Segment(late_may, "بحسب الرياض (10 أغسطس 2015):"), Segment(day)]
    assert lead_with(dated, day) == dated
