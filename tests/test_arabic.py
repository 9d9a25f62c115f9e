"""Search normalisation: spelling variants meet, the shown text is untouched."""

from index import arabic


def test_variants_normalise_to_one_form():
    assert arabic.normalize("أَحْمَدُ") == arabic.normalize("احمد") == "احمد"
    assert arabic.normalize("إسلام آمن ٱلله") == "اسلام امن الله"
    assert arabic.normalize("مستشفى") == "مستشفي" and arabic.normalize("مدرسة") == "مدرسه"
    assert arabic.normalize("الـــقـضـايا") == "القضايا"
    assert arabic.normalize("عام ٢٠٢١ و۱۴۰۰") == "عام 2021 و1400"


def test_bm25_terms_match_across_clitics_and_spelling():
    assert arabic.content_terms("الانتخابات") == arabic.content_terms("للانتخابات") == arabic.content_terms("انتخابات")
    assert arabic.content_terms("الرئاسة") == arabic.content_terms("والرئاسة")
    assert arabic.content_terms("لقاحات") == arabic.content_terms("اللقاحات")
    assert arabic.content_terms("في من إلى على عن") == []  # stop words only
    # a stop word behind a glued conjunction is still one; a short word is left alone
    assert arabic.content_terms("وماذا قالت الرئاسة") == arabic.content_terms("ماذا قالت الرئاسة")
    assert arabic.content_terms("والتي فماذا وهذا") == [] and arabic.content_terms("فان") == ["فان"]
    assert arabic.content_terms("قرار 2254") == arabic.content_terms("قرار ٢٢٥٤")


def test_words_keep_order_and_drop_punctuation():
    assert arabic.words("«بشار الأسد»، وبوتين!") == ["بشار", "الاسد", "وبوتين"]
