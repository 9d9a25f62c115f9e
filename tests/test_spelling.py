"""Typos in questions read as the word the articles use; place names and
known words left alone."""

from qa.spelling import best_spelling, correct, edits

WORDS = {"السرطان": 40, "قطاع": 25, "بلجيكا": 9, "الاضطراب": 3, "الامام": 30, "نادرة": 1, "غزه": 12}


def test_one_edit_from_a_word_the_articles_use():
    assert correct("كم شخص مات بالصرطان؟", {"بالسرطان": 5, **WORDS}) == "كم شخص مات بالسرطان؟"
    assert correct("متى انسحبت اسرائيل من قطاه غزة؟", WORDS) == "متى انسحبت اسرائيل من قطاع غزة؟"
    assert correct("في اي قارة تتواجد دولة بلجيكيا؟", WORDS) == "في اي قارة تتواجد دولة بلجيكا؟"
    assert best_spelling("الاظطراب", WORDS) == "الاضطراب"


def test_known_words_place_names_and_rare_neighbours_are_left_alone():
    assert correct("ماذا يحدث في الدمام؟", WORDS) == "ماذا يحدث في الدمام؟"  # not «الامام»
    assert correct("ما قصة نادره؟", WORDS) == "ما قصة نادره؟"  # «نادرة» is in one chunk only
    assert correct("ماذا قال الامام؟", WORDS) == "ماذا قال الامام؟"
    assert correct("ما السرطان؟", {}) == "ما السرطان؟"


def test_glued_question_words_are_split():
    assert correct("ماهو السرطان؟", WORDS) == "ما هو السرطان؟"
    assert correct("ماهي عاصمة بلجيكا؟", {}) == "ما هي عاصمة بلجيكا؟"


def test_edits_are_one_step():
    found = edits("قطاه")
    assert "قطاع" in found and "قطا" in found and "طقاه" in found and "قطاهر" in found
    assert "قطاه" not in found
