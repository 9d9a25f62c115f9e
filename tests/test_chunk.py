import pytest

from index.chunk import chunk_article, sentence_texts, split_sentences
from index.settings import Settings
from qa.api import QA
from tests.conftest import FIXTURES, sample_store_with


def test_sentences_keep_numbers_and_dates_whole():
    text = "صدر القرار رقم 2254 عام 2015. نُشر في 12.3.2021 وبلغت النسبة 3.5% فقط؟ نعم! انتهى؛ ثم\nسطر جديد"
    sentences = [text[s.start:s.end] for s in split_sentences(text)]
    assert sentences == ["صدر القرار رقم 2254 عام 2015.", "نُشر في 12.3.2021 وبلغت النسبة 3.5% فقط؟",
                         "نعم!", "انتهى؛", "ثم", "سطر جديد"]


def test_a_full_stop_after_an_initial_or_a_title_letter_does_not_end_the_sentence():
    assert sentence_texts("صدرت بقلم د. نادية الخولي عن الدار. وقال أ.د. محمد علي إن الأمر مهم.") == [
        "صدرت بقلم د. نادية الخولي عن الدار.", "وقال أ.د. محمد علي إن الأمر مهم."]
    assert sentence_texts("كتبها ميشيل إ. مان ورايموند إس. برادلي عام 1999. ثم نشرت.") == [
        "كتبها ميشيل إ. مان ورايموند إس. برادلي عام 1999.", "ثم نشرت."]
    # after a number the letter is an era, and the sentence may end there
    assert sentence_texts("توفي عام 1193 م. ودفن في دمشق. وبنى 500 ق.م. سورا. وهدم 400 ق. م. ثم بني.") == [
        "توفي عام 1193 م.", "ودفن في دمشق.", "وبنى 500 ق.م.", "سورا.", "وهدم 400 ق. م.", "ثم بني."]
    # so it may after an acronym written with spaces, a word the letter labels, and «بي» "me"
    assert sentence_texts("ذكرت ذلك شبكة بي بي سي. ونقص فيتامين د. وفاز في المجموعة أ. ثم اتصل بي. وانتهى.") == [
        "ذكرت ذلك شبكة بي بي سي.", "ونقص فيتامين د.", "وفاز في المجموعة أ.", "ثم اتصل بي.", "وانتهى."]


TRANSLATION = {"id": "novel-translation", "title": "رواية مترجمة", "source": "صحيفة الرياض", "published": "2024-03-01",
               "text": "صدرت الرواية أول مرة عام 1950 في لندن.\n\n"
                       "وقد ترجمت الرواية إلى العربية بقلم د. نادية الخولي عن دار المعارف في القاهرة."}


@pytest.fixture(scope="module")
def qa(tmp_path_factory, model_cache, embedder):
    store = sample_store_with(tmp_path_factory.mktemp("initials"), "novel.jsonl", TRANSLATION, model_cache, embedder)
    return QA(Settings.from_env(environ={}, store=store, model_cache=model_cache), embedder=embedder)


def test_an_answer_quotes_a_name_with_its_title_whole(qa):
    answer = qa.ask("من ترجم الرواية إلى العربية؟")
    assert not answer.abstained, answer.text
    assert "بقلم د. نادية الخولي عن دار المعارف" in answer.text
    assert [c.article_id for c in answer.citations] == ["novel-translation"]
    assert answer.citations[0].quote.endswith("في القاهرة.")


def test_chunks_are_exact_slices_with_overlap_and_size_limit():
    text = (FIXTURES / "sample_article_clean.txt").read_text(encoding="utf-8")
    chunks = chunk_article("a", text, size=400, overlap=1)
    assert len(chunks) > 3
    for chunk in chunks:
        assert text[chunk.start:chunk.end] == chunk.text
        assert len(chunk.text) <= 400 or len(split_sentences(chunk.text)) == 1
    overlapping = 0
    for before, after in zip(chunks, chunks[1:]):
        sentences = split_sentences(before.text)
        if len(sentences) > 1:  # a one-sentence chunk is not repeated
            last = sentences[-1]
            assert after.text.startswith(before.text[last.start:last.end])
            overlapping += 1
    assert overlapping
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
    assert all(i in covered for s in split_sentences(text) for i in range(s.start, s.end))


def test_no_overlap_and_empty_text():
    assert chunk_article("a", "", 600, 0) == []
    chunks = chunk_article("a", "جملة أولى. جملة ثانية. جملة ثالثة.", size=12, overlap=0)
    assert [c.text for c in chunks] == ["جملة أولى.", "جملة ثانية.", "جملة ثالثة."]
