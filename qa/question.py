"""What a question asks for: its kind (date, number, person…), its content
words, and the cues that make a sentence look like that kind of answer.

Everything works on ``index.arabic`` normalised words (one alef, ة→ه, ى→ي,
Western digits), so the word lists below are written in that spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index import arabic

# -- question words -----------------------------------------------------------
# Kind of answer each question word asks for.  «من» and «ما» are also the
# preposition "from" and a negation, so they only count at the question start.
QUESTION_WORDS = {
    "متي": "when", "كم": "count", "بكم": "count", "اين": "where", "لماذا": "why", "لم": "why",
    "كيف": "how", "هل": "yesno", "ماذا": "what", "ما": "what", "من": "who", "اي": "which", "ايه": "which",
}
ANYWHERE = frozenset({"متي", "كم", "بكم", "اين", "لماذا", "كيف", "هل", "ماذا"})
# Words that only frame the question; never matched against sentences.
FRAME_WORDS = frozenset("""
متي كم بكم اين لماذا كيف هل ماذا ما من اي ايه هو هي هما هم الذي التي الذين تم
""".split())
# «ما رقم…»، «ما عدد…»: a "what" question that asks for a number, and so on.
WHAT_NOUNS = {
    "رقم": "count", "عدد": "count", "نسبه": "count", "قيمه": "count", "حجم": "count", "مبلغ": "count",
    "تاريخ": "when", "موعد": "when", "اسم": "who", "سبب": "why", "اسباب": "why", "هدف": "why",
    "مكان": "where", "موقع": "where",
}
# «في أي عام…»، «منذ متى…»: prepositional openings.
WHICH_NOUNS = {"عام": "when", "سنه": "when", "يوم": "when", "شهر": "when", "تاريخ": "when",
               "مدينه": "where", "دوله": "where", "بلد": "where", "منطقه": "where"}
# Words asking what someone said: prefer sentences attributed to the named
# source.  Any reporting verb matches any other («قالت» the question, «ذكرت»
# the article), through the shared key SAID.
REPORTING_VERBS = frozenset("""
قال قالت يقول تقول ذكر ذكرت اعلن اعلنت صرح صرحت اكد اكدت اوضح اوضحت افاد افادت
علق علقت نقل نقلت نشر نشرت اصدر اصدرت لفت لفتت نوه نوهت كشف كشفت اشار اشارت
""".split())
SAID = "<said>"
REPORTING_NOUNS = frozenset("بيان البيان بيانها بيانه موقف راي".split())

# -- answer-kind cues in a sentence ---------------------------------------------
MONTHS = frozenset("""
يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر
كانون شباط اذار نيسان ايار حزيران تموز اب ايلول تشرين
""".split())
WEEKDAYS = frozenset("السبت الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه".split())
TIME_WORDS = frozenset("""
يوم اليوم ايام امس غدا عام العام سنه السنه شهر الشهر اسبوع الاسبوع ساعه الساعه صباح
مساء ليله منتصف اواخر اوائل مطلع نهايه بدايه الماضي المقبل القادم قريبا حاليا
""".split())
NUMBER_WORDS = frozenset("""
واحد اثنان اثنين ثلاث ثلاثه اربع اربعه خمس خمسه ست سته سبع سبعه ثماني ثمانيه تسع تسعه
عشر عشره عشرات عشرين ثلاثين اربعين خمسين ميه مايه ميات الف الاف الفا مليون ملايين
مليار مليارات نصف ربع ثلث ضعف بالميه
""".split())
PERSON_WORDS = frozenset("""
الرييس رييس الوزير وزير الملك ملك الامير امير الشيخ السيد الدكتور المتحدث الناطق مدير
قايد زعيم نايب سفير مسوول الامين وزاره الحكومه حكومه الرياسه مجلس وكاله شركه حزب حركه
منظمه هييه لجنه محكمه الجيش البرلمان الكرملين
""".split())
PLACE_WORDS = frozenset("""
مدينه محافظه منطقه العاصمه عاصمه ريف شمال جنوب شرق غرب وسط قريه بلده حي مقر مطار ميناء
حدود اقليم ولايه مخيم سوريا روسيا مصر السعوديه العراق لبنان الاردن تركيا ايران فلسطين
اليمن ليبيا تونس الجزاير المغرب السودان قطر الامارات الكويت البحرين عمان امريكا
الولايات اوروبا فرنسا بريطانيا المانيا الصين اوكرانيا موسكو دمشق الرياض القاهره بغداد
بيروت جده مكه المدينه واشنطن لندن باريس
""".split())
# Phrases (normalised words joined by one space) that give a reason or a manner.
REASON_PHRASES = ("لان", "لانه", "لانها", "بسبب", "بهدف", "من اجل", "لاجل", "نتيجه", "بغيه", "سعيا",
                  "على خلفيه", "بداعي", "نظرا", "اثر")
MANNER_PHRASES = ("عبر", "من خلال", "بواسطه", "عن طريق", "بموجب", "باستخدام", "بفضل", "وفق", "وفقا")

_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_SUFFIXES = ("ات", "ون", "ين", "ان", "يه", "ها", "هم", "ه", "ي", "ا", "ت")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # when | count | who | where | why | how | what | which | yesno | other
    terms: tuple[str, ...]  # normalised content words, question words left out
    reported: bool  # asks what someone said


def analyze(text: str) -> Question:
    tokens = arabic.words(text)
    bare = [_drop_conjunction(t) for t in tokens]
    reported = any(b in REPORTING_VERBS or b in REPORTING_NOUNS for b in bare)
    terms = tuple(dict.fromkeys(t for t, b in zip(tokens, bare) if _is_content(t, b)))
    return Question(text, _kind(bare), terms, reported)


def _drop_conjunction(token: str) -> str:
    """«ومتى» → «متى»: a leading و/ف before a question word."""
    if token[:1] in ("و", "ف") and token[1:] in QUESTION_WORDS:
        return token[1:]
    return token


def _is_content(token: str, bare: str) -> bool:
    if bare in FRAME_WORDS or token in arabic.STOPWORDS:
        return False
    return len(token) > 1 or token.isdigit()


def _kind(bare: list[str]) -> str:
    if not bare:
        return "other"
    first, second = bare[0], bare[1] if len(bare) > 1 else ""
    if first in ("ما", "ماذا") and _strip_article(second) in WHAT_NOUNS:
        return WHAT_NOUNS[_strip_article(second)]
    if first in ("في", "منذ", "الي", "حتي") and second in QUESTION_WORDS:
        first, second = second, bare[2] if len(bare) > 2 else ""
    if first in ("اي", "ايه") and _strip_article(second) in WHICH_NOUNS:
        return WHICH_NOUNS[_strip_article(second)]
    if first == "من" and second == "اين":
        return "where"
    if first in QUESTION_WORDS:
        return QUESTION_WORDS[first]
    return next((QUESTION_WORDS[b] for b in bare if b in ANYWHERE), "other")


def _strip_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


# -- matching -----------------------------------------------------------------
@lru_cache(maxsize=65536)  # pure, and called for every term against every sentence
def word_keys(word: str) -> frozenset[str]:
    """Spellings a normalised word may match under: itself and its light stems
    (one clitic prefix and up to two suffixes off).  Snowball alone misses
    pairs such as «لانتخابات»/«الانتخابات» and «بيان»/«البيان»."""
    keys = {word}
    if word in REPORTING_VERBS or (word[:1] in ("و", "ف") and word[1:] in REPORTING_VERBS):
        keys.add(SAID)
    for stem in _prefix_variants(word):
        keys.add(stem)
        for once in _suffix_variants(stem):
            keys.add(once)
            keys.update(_suffix_variants(once))
    return frozenset(k for k in keys if len(k) >= 3 or k.isdigit())  # SAID is long enough


def _prefix_variants(word: str) -> list[str]:
    return [word] + [word[len(p):] for p in _PREFIXES if word.startswith(p) and len(word) - len(p) >= 3]


def _suffix_variants(word: str) -> list[str]:
    return [word[:-len(s)] for s in _SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3]


# -- answer-kind cues ---------------------------------------------------------
def answer_cue(kind: str, tokens: list[str]) -> float:
    """How much a sentence (its normalised words) looks like the kind of
    answer asked for, from 0 to 1.  Kinds without a shape score 0."""
    cue = _CUES.get(kind)
    return cue(tokens) if cue else 0.0


def has_cue(kind: str) -> bool:
    return kind in _CUES


def _when(tokens: list[str]) -> float:
    for i, t in enumerate(tokens):
        keys = word_keys(t)
        if keys & MONTHS or keys & WEEKDAYS or _YEAR.match(t):
            return 1.0
        if t in ("يوم", "اليوم") and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            return 1.0
    if any(t.isdigit() for t in tokens) or any(word_keys(t) & TIME_WORDS for t in tokens):
        return 0.5
    return 0.0


def _count(tokens: list[str]) -> float:
    if any(t.isdigit() for t in tokens):
        return 1.0
    return 0.7 if any(word_keys(t) & NUMBER_WORDS for t in tokens) else 0.0


def _who(tokens: list[str]) -> float:
    return 0.7 if any(word_keys(t) & PERSON_WORDS for t in tokens) else 0.0


def _where(tokens: list[str]) -> float:
    return 1.0 if any(word_keys(t) & PLACE_WORDS for t in tokens) else 0.0


def _phrases(tokens: list[str], phrases: tuple[str, ...]) -> bool:
    joined = f" {' '.join(tokens)} "
    return any(f" {p} " in joined for p in phrases)


def _why(tokens: list[str]) -> float:
    return 1.0 if _phrases(tokens, REASON_PHRASES) else 0.0


def _how(tokens: list[str]) -> float:
    if _phrases(tokens, MANNER_PHRASES):
        return 1.0
    return 0.5 if _phrases(tokens, REASON_PHRASES) else 0.0


_CUES = {"when": _when, "count": _count, "who": _who, "where": _where, "why": _why, "how": _how}
