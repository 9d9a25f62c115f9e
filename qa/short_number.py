"""The short answer to «كم» (``qa/short.py``): the number nearest an asked
word of its clause, with its hedge («نحو 21») and the words naming what it
counts («ثلاثة ملايين جرعة»); a day of a date («8 أغسطس») is no count.

    number(text, tokens, asked_keys, clauses)   # (start, end) or None
"""

from __future__ import annotations

from index import arabic

from . import rules
from .attribution import Token
from .question import is_day, is_month, is_year, word_keys
from .short_tokens import asked_flags, distance

APPROXIMATE = (("اكثر", "من"), ("اقل", "من"), ("ما", "يقارب"), ("حوالي",), ("نحو",), ("قرابه",),
               ("زهاء",), ("بحوالي",), ("بنحو",))  # kept before a number: the article's own hedge
DAY_JOINERS = frozenset({"و", "الي", "حتي"})  # between two days of one month: «1 و 8 أغسطس»
UNIT_TOKENS = 2  # words after a number that name what is counted («ثلاثة ملايين جرعة»)


def number(text: str, tokens: list[Token], asked_keys, clauses) -> tuple[int, int] | None:
    """The number (digits or words) nearest an asked word of its clause, a
    year last, with the words naming what it counts («ثلاثة ملايين جرعة»);
    None when no clause has both a number and an asked word."""
    asked = asked_flags(tokens, asked_keys)
    near = [(is_year(t.norm), far, i) for i, t in enumerate(tokens)
            if is_number(t.norm) and not asked[i] and not _day_of_month(tokens, clauses, i)
            and (far := distance(i, asked, clauses)) is not None]
    if not near:
        return None
    i = min(near)[2]
    while i and clauses[i - 1] == clauses[i] and is_number(tokens[i - 1].norm) and not asked[i - 1]:
        i -= 1  # «300 ألف قتيل»: the count starts at its first number word
    first = _qualified(tokens, clauses, i)
    last = i
    while last + 1 < len(tokens) and clauses[last + 1] == clauses[i] and is_number(tokens[last + 1].norm):
        last += 1  # «اثنا عشر», «3 ملايين»
    for j in range(last + 1, min(len(tokens), last + 1 + UNIT_TOKENS)):
        unit = bool(word_keys(tokens[j].norm) & rules.UNIT_WORDS)
        if tokens[j].norm in arabic.STOPWORDS or clauses[j] != clauses[i] or (
                not unit and _next_phrase(tokens[j].norm, tokens[last].norm)):
            break
        last = j
        if unit:
            continue
        break
    return tokens[first].start, tokens[last].end


def _day_of_month(tokens: list[Token], clauses, i: int) -> bool:
    """«8 أغسطس», «1 و8 أغسطس», «1 إلى 8 أغسطس»: a day of a date, not a count."""
    j = i
    while j < len(tokens) and clauses[j] == clauses[i] and (
            is_day(_bare(tokens[j].norm)) or (j > i and tokens[j].norm in DAY_JOINERS)):
        j += 1  # the days of one month: «1 و8», «1 و 8», «1 حتى 8»
    return (j > i and j < len(tokens) and clauses[j] == clauses[i] and is_month(tokens[j].norm)
            and tokens[j - 1].norm not in DAY_JOINERS)


def _bare(norm: str) -> str:
    """A word without the conjunction glued on: «و8» → «8»."""
    return norm[1:] if norm[:1] in rules.CONJUNCTIONS else norm


def _next_phrase(norm: str, number: str) -> bool:
    """Whether the word after a number starts the next phrase rather than
    naming what is counted: after digits what is counted is indefinite
    («308 نقطة», not «49 المدافع»; a number word may govern a definite one,
    «مئات القنوات»), and never behind «و»/«ب»/«ل» with the article or a stop
    word («الثاني عشر والحالي»، «1989 ومن»)."""
    if norm.startswith(rules.CLITIC_ARTICLES) or (norm[:1] in rules.CONJUNCTIONS and norm[1:] in arabic.STOPWORDS):
        return True
    return norm.startswith("ال") and any(c.isdigit() for c in number)


def _qualified(tokens: list[Token], clauses, i: int) -> int:
    """Where the number starts with its qualifier: «أكثر من 37 مليون»، «حوالي 11 مليون»."""
    for qualifier in APPROXIMATE:
        first = i - len(qualifier)
        if first >= 0 and clauses[first] == clauses[i] and tuple(t.norm for t in tokens[first:i]) == qualifier:
            return first
    return i


def is_number(norm: str) -> bool:
    bare = norm[1:] if norm[:1] in rules.CONJUNCTIONS and len(norm) > 3 else norm
    return any(c.isdigit() for c in norm) or bare in rules.NUMBER_WORDS
