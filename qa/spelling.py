"""Question words typed without their space, split: «ماهو» → «ما هو».

Only this: correcting misspelt words against the store's own vocabulary was
measured and dropped.  A store's articles do not hold every form of a word,
so it "corrected" 448 of XQuAD-ar's 1,190 questions, mostly wrongly
(«تسلا» → «تسلم», «الكيانات» → «البيانات»), and cost answers.

    unglue("ماهو السرطان؟")   # «ما هو السرطان؟»
"""

from __future__ import annotations

import re

from index import arabic

from . import rules

_WORD = re.compile(r"[^\W\d_]+")


def unglue(question: str) -> str:
    def split(match: re.Match) -> str:
        return rules.GLUED_WORDS.get(arabic.normalize(match.group()), match.group())
    return _WORD.sub(split, question)
