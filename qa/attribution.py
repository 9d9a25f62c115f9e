"""Who a sentence reports, and whether it says the source did *not* say
something: «ذكرت الرئاسة الروسية “الكرملين”…» → «بيان الكرملين»;
«ولم يأتِ البيان الصادر عن الرئاسة السورية…» → that source, negated.

    source = attribution(article.text, spans, index)
    source.label, source.words, source.negated
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index import arabic
from index.chunk import Span

from . import rules
from .question import word_keys

PHRASE_STOPS = arabic.STOPWORDS | rules.PHRASE_STOPS_EXTRA
SOURCE_WORDS = 3  # a source's name is at most this many words
_TOKEN = re.compile(r"[^\s\u060C,.:;\u061B!?\u061F()\[\]«»“”\"„/]+")
_BREAK = re.compile(r"[\u060C,.:;\u061B!?\u061F]")


@dataclass(frozen=True)
class Attribution:
    label: str  # who says it, in the article's spelling: «بيان الكرملين»
    words: frozenset[str]  # normalised words of all its names
    negated: bool  # the sentence says the source did not say something
    names: tuple[frozenset[str], ...] = ()  # each name's words: «الكرملين», «الرئاسة الروسية»


@dataclass(frozen=True)
class Token:
    norm: str
    start: int
    end: int


def attribution(text: str, spans: list[Span], index: int) -> Attribution | None:
    """Who the sentence ``spans[index]`` reports, if it says: the first source
    it names, or for a bare «البيان»/«أوضح» the nearest named one before it."""
    tokens = tokens_of(text, spans[index])
    found = _named_source(text, tokens)
    if found is None:
        return None
    label, names = found
    negated = is_negated(tokens)
    if not names or names[0] <= rules.GENERIC_SOURCES:
        found = _resolve(text, spans, index)
        if found is None:
            return None
        label, names = found
    if _is_statement(text, spans, index, tokens) and not label.startswith("بيان"):
        label = f"بيان {label}"
    return Attribution(label, frozenset().union(*names), negated, names)


def tokens_of(text: str, span: Span) -> list[Token]:
    out = []
    for match in _TOKEN.finditer(text, span.start, span.end):
        norm = "".join(arabic.words(match.group()))
        if norm:
            out.append(Token(norm, match.start(), match.end()))
    return out


def _bare(norm: str) -> str:
    return norm[1:] if norm[:1] in rules.CONJUNCTIONS and norm[1:] in rules.ATTRIBUTION_WORDS else norm


def _named_source(text: str, tokens: list[Token]) -> tuple[str, tuple[frozenset[str], ...]] | None:
    """The phrase after the first attribution word: its label and the words
    of each name it goes by; None if there is none."""
    for i, token in enumerate(tokens):
        if _bare(token.norm) in rules.ATTRIBUTION_WORDS:
            phrase, also = _phrase(text, tokens, i + 1)
            if phrase and _bare(phrase[0].norm) in rules.ATTRIBUTION_WORDS - rules.GENERIC_SOURCES:
                continue  # «حسب ما أعلن رئيس…»: the next trigger names the source
            label, words_ = _label(text, phrase)
            names = (words_, frozenset(t.norm for t in also)) if also else (words_,)
            return label, tuple(n for n in names if n)
    return None


def _phrase(text: str, tokens: list[Token], i: int) -> tuple[list[Token], list[Token]]:
    """Up to three words naming a source, from ``tokens[i]``; a quoted name right
    after them («الرئاسة الروسية “الكرملين”») names it instead, and the words
    before it are kept as another name of the same source."""
    while i < len(tokens) and tokens[i].norm in rules.SKIPPED_AFTER_TRIGGER:
        i += 1
    phrase: list[Token] = []
    while i < len(tokens) and len(phrase) < SOURCE_WORDS and tokens[i].norm not in PHRASE_STOPS:
        phrase.append(tokens[i])
        gap = text[tokens[i].end:tokens[i + 1].start] if i + 1 < len(tokens) else ""
        i += 1
        if _BREAK.search(gap):
            break
        if any(q in gap for q in rules.QUOTE_MARKS) and not _opens_quote(text, phrase[0]):
            named = _with_quoted(phrase, _quoted_run(text, tokens, i))
            return named, phrase if named is not phrase else []
    return phrase, []


def _with_quoted(phrase: list[Token], quoted: list[Token]) -> list[Token]:
    """«إدارة “بايدن”» (a construct: no article) reads on into the quoted name;
    «الرئاسة الروسية “الكرملين”» (an apposition) is named by it."""
    if not quoted:
        return phrase
    return quoted if phrase[-1].norm.startswith("ال") else phrase + quoted


def _opens_quote(text: str, token: Token) -> bool:
    return token.start > 0 and text[token.start - 1] in rules.QUOTE_MARKS


def _quoted_run(text: str, tokens: list[Token], i: int) -> list[Token]:
    run = []
    while i < len(tokens) and len(run) < SOURCE_WORDS:
        run.append(tokens[i])
        after = text[tokens[i].end:tokens[i].end + 1]
        i += 1
        if after and after in rules.QUOTE_MARKS:
            return run
    return []


def _label(text: str, phrase: list[Token]) -> tuple[str, frozenset[str]]:
    if not phrase:
        return "", frozenset()
    raw = text[phrase[0].start:phrase[-1].end]
    label = " ".join(raw.translate({ord(q): " " for q in rules.QUOTE_MARKS}).split())
    return label, frozenset(t.norm for t in phrase)


def _resolve(text: str, spans: list[Span], index: int):
    """The nearest source named in the sentences before ``index``, or None."""
    for back in range(index - 1, max(-1, index - 1 - rules.RESOLVE_BACK), -1):
        found = _named_source(text, tokens_of(text, spans[back]))
        if found and found[1] and not found[1][0] <= rules.GENERIC_SOURCES:
            return found
    return None


def is_negated(tokens: list[Token]) -> bool:
    """A denial word, or «لم» before a verb of saying («لم يأتِ»، «لم يذكر»)."""
    norms = [t.norm[1:] if t.norm in ("ولم", "فلم") else t.norm for t in tokens]
    if any(n in rules.DENIAL_WORDS or (n[:1] in rules.CONJUNCTIONS and n[1:] in rules.DENIAL_WORDS) for n in norms):
        return True
    return any(a == "لم" and b in rules.NEGATED_VERBS for a, b in zip(norms, norms[1:]))


def _is_statement(text: str, spans: list[Span], index: int, tokens: list[Token]) -> bool:
    """Whether the source spoke through a statement («بيان»), in this sentence
    or in the one that named the source."""
    def mentions(toks):
        return any("بيان" in word_keys(t.norm) for t in toks)
    if mentions(tokens):
        return True
    return index > 0 and mentions(tokens_of(text, spans[index - 1]))
