"""Arabic search normalisation, shared by the index and the query side.

Users see the article's own spelling; matching uses this separate
representation: no diacritics or tatweel, one alef, ى→ي, ة→ه, Western digits.
BM25 tokens are the normalised words, stop words dropped, stemmed with
Snowball's Arabic stemmer (PyStemmer).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
TATWEEL = "\u0640"
_TRANSLATE = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ة": "ه",
    "ؤ": "و", "ئ": "ي",
    TATWEEL: None,
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended (Persian) digits
    "٫": ".", "٬": ",",
})
WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Function words that carry no topic (normalised spelling). Kept short on
# purpose: question words such as متى/كم/من are handled by the composer.
STOPWORDS = frozenset("""
في من الي علي عن مع ان او ثم قد لقد كان كانت يكون هذا هذه ذلك تلك التي الذي الذين
هو هي هم هن انا نحن انت ما ماذا لا لم لن بين كل بعض اي حتي اذا الا و ف ب ل ك عند
منذ خلال حول ضد لدي له لها لهم به بها فيه فيها منه منها عليه عليها اليه وقد وكان
كما ايضا بعد قبل تم الى على حيث انه انها ولا
""".split())


def normalize(text: str) -> str:
    """Search form of ``text``: the same for every spelling variant of a word."""
    text = unicodedata.normalize("NFKC", text)
    text = DIACRITICS.sub("", text)
    return text.translate(_TRANSLATE).lower()


def words(text: str) -> list[str]:
    """Normalised words of ``text``, in order, stop words included."""
    return WORD.findall(normalize(text))


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("arabic")


def stem_words(tokens: list[str]) -> list[str]:
    return _stemmer().stemWords(tokens)


def content_terms(text: str) -> list[str]:
    """Stemmed, normalised content words: the BM25 vocabulary."""
    return stem_words([w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())])
