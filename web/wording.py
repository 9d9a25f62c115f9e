"""Counted nouns as Arabic writes them: «مقالة واحدة», «مقالتان», «3 مقالات», «11 مقالة»."""

from __future__ import annotations

from typing import NamedTuple


class Noun(NamedTuple):
    one: str  # with «واحد/ة»: «مصدر واحد»
    two: str  # the dual: «مصدران»
    few: str  # 3 to 10: «مصادر»
    many: str  # 11 and more: «مصدراً»


ARTICLES = Noun("مقالة واحدة", "مقالتان", "مقالات", "مقالة")
SOURCES = Noun("مصدر واحد", "مصدران", "مصادر", "مصدراً")
QUOTES = Noun("اقتباس واحد", "اقتباسان", "اقتباسات", "اقتباساً")


def counted(n: int, noun: Noun) -> str:
    if n == 1:
        return noun.one
    if n == 2:
        return noun.two
    tens = n % 100
    return f"{n} {noun.few}" if 3 <= tens <= 10 else f"{n} {noun.many}"
