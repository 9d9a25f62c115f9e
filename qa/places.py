"""Places a question names, and whether an article names them too: the
check behind «a question naming a place no cited article mentions is not
answered» (``qa/finish.py``).

A place is read the same way on both sides: a gazetteer name
(``rules.PLACE_NAMES``) with or without «ال» and behind the clitics news
Arabic glues on («بالدمام», «وللسودان»), or a country's adjective
(``rules.PLACE_ADJECTIVES``: «الحكومة الألمانية», «مدينة مغربية»).

    place_of("للسودان")            # "السودان"
    mentions(article_words, "المانيا")
"""

from __future__ import annotations

import functools

from . import rules

# What may stand before a place's name: conjunctions and prepositions, with
# or without the article («وبالدمام», «فللسودان» is «ف» + «ل» + «السودان»).
# Only these: «الصليبية» does not hold «ليبية», nor «مشتركي» «تركي».
PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")
ENDINGS = tuple(sorted(rules.ADJECTIVE_ENDINGS, key=len, reverse=True))  # longest first: «ين» before «»
COUNTRY_OF = {adjective: country for country, adjective in rules.PLACE_ADJECTIVES.items()}


def place_of(word: str) -> str:
    """The gazetteer spelling of the place ``word`` names, or ''."""
    for stem in _stems(word):
        for spelling in (stem, f"ال{stem}"):
            if spelling in rules.PLACE_NAMES:
                return spelling
    for stem in _stems(word):  # «مغربية», «الألماني», «ألمانية»
        for bare in dict.fromkeys((stem, stem[2:] if stem.startswith("ال") else stem)):
            for ending in ENDINGS:
                if bare.endswith(ending) and bare[:len(bare) - len(ending)] in COUNTRY_OF:
                    return COUNTRY_OF[bare[:len(bare) - len(ending)]]
    return ""


def mentions(words: set[str] | frozenset[str], name: str) -> bool:
    """Whether ``words`` (an article's, normalised) name the place ``name``:
    in any spelling ``place_of`` reads as it, or by its capital's or
    government's name (``rules.PLACE_ALIASES``: «واشنطن» for «امريكا»)."""
    return not words.isdisjoint(surface_forms(name))


@functools.cache
def surface_forms(name: str) -> frozenset[str]:
    """Every written form of the place ``name`` that counts as naming it."""
    forms = set()
    for spelling in (name, *rules.PLACE_ALIASES.get(name, ())):
        forms |= _with_clitics(spelling[2:] if spelling.startswith("ال") else spelling)
    adjective = rules.PLACE_ADJECTIVES.get(name)
    if adjective:
        for ending in ENDINGS:
            forms |= _with_clitics(adjective + ending)
    return frozenset(forms)


def _with_clitics(bare: str) -> set[str]:
    """«دمام» → «دمام», «الدمام», «بالدمام», «للدمام», «وللدمام», …"""
    out = set()
    for prefix in PREFIXES:
        out |= {prefix + bare, prefix + "ال" + bare}
        if prefix in ("", "و", "ف"):
            out.add(prefix + "لل" + bare)  # «ل» + «ال» drops the alif
    return out


def _stems(word: str) -> list[str]:
    """``word`` and what is left with a conjunction or preposition off, «لل» read as «ل» + «ال»."""
    out = [word, *(word[len(p):] for p in ("و", "ب", "ل", "ف") if word.startswith(p))]
    out += ["ال" + w[2:] for w in out if w.startswith("لل")]
    return out
