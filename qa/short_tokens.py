"""The words of a quoted sentence as the short-answer finders see them
(``qa/short.py``): tokens with numbers kept whole, the clause each token is
in, and where the question's own words stand.

    tokens = sentence_tokens(text, span)
    clauses = clauses_of(text, tokens)      # a short answer stays in one
    asked = asked_flags(tokens, asked_keys)
"""

from __future__ import annotations

from index.chunk import Span

from .attribution import Token, tokens_of
from .question import word_keys

CLAUSE_MARKS = frozenset("،,.;:؛!?؟()[]–—”»")  # a closing quote ends a quoted name too
NUMBER_MARKS = frozenset(",.،٬٫:")  # inside a number: «587,000»، «3:08»


def sentence_tokens(text: str, span: Span) -> list[Token]:
    return joined_numbers(text, tokens_of(text, span))


def joined_numbers(text: str, tokens: list[Token]) -> list[Token]:
    """Digits split by one thousands or decimal mark («587,000»، «11،787»،
    «3:08») are one number, not a number and a clause break."""
    out: list[Token] = []
    for token in tokens:
        if (out and token.norm.isdigit() and _numeral(out[-1].norm) and token.start - out[-1].end == 1
                and text[out[-1].end] in NUMBER_MARKS):  # the mark stays: «1,500» is no year 1500
            out[-1] = Token(out[-1].norm + text[out[-1].end] + token.norm, out[-1].start, token.end)
        else:
            out.append(token)
    return out


def _numeral(norm: str) -> bool:
    return norm[:1].isdigit() and all(c.isdigit() or c in NUMBER_MARKS for c in norm)


def clauses_of(text: str, tokens: list[Token]) -> list[int]:
    """Each token's clause number: a short answer never runs across
    CLAUSE_MARKS («308 نقطة، ليحتل» is not one answer)."""
    out, clause = [], 0
    for j, token in enumerate(tokens):
        if j and any(c in CLAUSE_MARKS for c in text[tokens[j - 1].end:token.start]):
            clause += 1
        out.append(clause)
    return out


def asked_flags(tokens: list[Token], asked_keys) -> list[bool]:
    """Whether each token is one of the question's words."""
    return [bool(word_keys(t.norm) & asked_keys) for t in tokens]


def distance(i: int, asked: list[bool], clauses: list[int]) -> int | None:
    """Words from token ``i`` to the nearest asked word of its clause."""
    found = [abs(i - j) for j, a in enumerate(asked) if a and clauses[j] == clauses[i]]
    return min(found) if found else None


def runs(asked: list[bool], clauses: list[int]) -> list[tuple[int, int]]:
    """(first, last) of each run of asked words inside one clause, longest first."""
    found, first = [], None
    for i, a in enumerate(asked + [False]):
        if first is not None and (not a or clauses[i] != clauses[first]):
            found.append((first, i - 1))
            first = None
        if a and first is None:
            first = i
    return sorted(found, key=lambda r: r[0] - r[1])
