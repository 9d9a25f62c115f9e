"""Two repairs to a question's spelling before it is searched.

- ``unglue``: question words typed without their space, split: «ماهو» → «ما هو».
- ``respell``: a word no stored chunk has, looked up in the few other
  spellings a writer commonly gives it (``rules.RESPELL_*``): without a
  proclitic «ل/ك/ب» («لسويسرا» → «سويسرا»), with «ي» for a final «ى»
  («الشيوعى»), «ة» for a final «ه».  The commonest of them the store
  knows replaces it; a word with no known spelling is left as typed, so a name
  the store lacks still counts as unseen when the answer decides to abstain.

General correction against the store's vocabulary (any one-letter edit)
was measured and dropped: a store's articles do not hold every form of a
word, so it "corrected" 448 of XQuAD-ar's 1,190 questions, mostly wrongly
(«تسلا» → «تسلم», «الكيانات» → «البيانات»), and cost answers.  The narrow
rules change 36 of XQuAD-ar's 945 answerable questions and 21 of
ARCD-train's 558 (``bench/results/report.md`` has what it does to answers).

    unglue("ماهو السرطان؟")                        # «ما هو السرطان؟»
    respell("ما عاصمة لسويسرا؟", store.idf)         # «ما عاصمة سويسرا؟» when the store knows «سويسرا»
"""

from __future__ import annotations

import re
from typing import Callable

from index import arabic

from . import rules
from .confidence import UNSEEN

_WORD = re.compile(r"[^\W\d_]+")


def unglue(question: str) -> str:
    def split(match: re.Match) -> str:
        return rules.GLUED_WORDS.get(arabic.normalize(match.group()), match.group())
    return _WORD.sub(split, question)


def respell(question: str, idf: Callable[[list[str]], dict[str, float]] | None) -> str:
    """``question`` with each word no chunk has replaced by its commonest
    known spelling among ``spellings(word)``; ``idf`` maps BM25 terms to
    their idf (``Store.idf``), None leaves the question as it is."""
    if idf is None:
        return question
    tried = {}  # word -> (its term as typed, {other spelling: its term})
    for word in dict.fromkeys(_WORD.findall(question)):
        typed = arabic.content_terms(word)
        others = {s: t[0] for s in spellings(word) if len(t := arabic.content_terms(s)) == 1}
        if len(typed) == 1 and others:
            tried[word] = (typed[0], others)
    if not tried:
        return question
    weights = idf([*{t for typed, others in tried.values() for t in (typed, *others.values())}, UNSEEN])
    ceiling = weights[UNSEEN] - 1e-9  # a term at the ceiling is one no chunk has
    fixed = {}
    for word, (typed, others) in tried.items():
        known = [(weights[t], s) for s, t in others.items() if weights[t] < ceiling]
        if weights[typed] >= ceiling and known:
            fixed[word] = min(known)[1]  # the lowest idf: the spelling most chunks have
    return _WORD.sub(lambda m: fixed.get(m.group(), m.group()), question) if fixed else question


def spellings(word: str) -> list[str]:
    """The other spellings ``respell`` tries for ``word``: a proclitic
    dropped (behind a conjunction too: «ولسويسرا» → «وسويسرا»), then the
    last letter changed."""
    out = []
    lead = word[:1] if word[:1] in rules.CONJUNCTIONS and len(word) > 1 else ""
    rest = word[len(lead):]
    for clitic, replacement in rules.RESPELL_PROCLITICS.items():
        stem = rest[len(clitic):]
        if rest.startswith(clitic) and len(stem) >= rules.RESPELL_MIN_LETTERS:
            out.append(lead + replacement + stem)
    for ending, replacement in rules.RESPELL_ENDINGS.items():
        if word.endswith(ending) and len(word) > rules.RESPELL_MIN_LETTERS:
            out.append(word[:-1] + replacement)
    return [s for s in dict.fromkeys(out) if s != word]
