"""Question words typed without their space are split."""

from qa.spelling import unglue


def test_glued_question_words_are_split():
    assert unglue("ماهو السرطان؟") == "ما هو السرطان؟"
    assert unglue("ماهي عاصمة بلجيكا؟") == "ما هي عاصمة بلجيكا؟"
    assert unglue("ماسم الفريق؟") == "ما اسم الفريق؟"


def test_other_words_are_left_as_typed():
    assert unglue("ماهر وماهرة") == "ماهر وماهرة"
    assert unglue("ما هو السرطان؟") == "ما هو السرطان؟"
