from index.chunk import chunk_article, split_sentences
from tests.conftest import FIXTURES


def test_sentences_keep_numbers_and_dates_whole():
    text = "صدر القرار رقم 2254 عام 2015. نُشر في 12.3.2021 وبلغت النسبة 3.5% فقط؟ نعم! انتهى؛ ثم\nسطر جديد"
    sentences = [text[s.start:s.end] for s in split_sentences(text)]
    assert sentences == ["صدر القرار رقم 2254 عام 2015.", "نُشر في 12.3.2021 وبلغت النسبة 3.5% فقط؟",
                         "نعم!", "انتهى؛", "ثم", "سطر جديد"]


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
