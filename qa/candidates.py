"""Candidate sentences: every sentence of the retrieved passages, plus the one
just before and after each, once each, with what scoring needs to know
about it (its words, where it sits, how well its passage was retrieved).

    sentences = candidates(passages)
    sentences[0].text == sentences[0].article.text[sentences[0].start:sentences[0].end]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from index import arabic
from index.chunk import Span, split_sentences
from index.documents import Article

from .answer import Passage
from .attribution import Attribution, attribution
from .question import keys_of, word_keys
from .rules import SAID

MIN_WORDS = 4  # shorter "sentences" are headings and credits
NEIGHBOUR_DISCOUNT = 0.8  # retrieval share of a sentence just outside its passage


@dataclass
class Sentence:
    """One candidate sentence: ``article.text[start:end]``."""

    article: Article
    start: int
    end: int
    chunk_id: str
    retrieval: float  # the best share (0..1 of the top passage's score) of a passage holding or touching it
    passage_rank: int  # 1-based rank of that passage
    neighbour: bool  # only touches its passage (the sentence before or after it)
    index: int  # its place among the article's sentences
    count: int  # how many sentences the article has
    tokens: list[str]  # normalised words
    content: frozenset[str]  # normalised content words
    keys: frozenset[str]  # what its content words match under
    spans: list[Span] = field(default_factory=list, repr=False)  # its article's sentences (for attribution)
    title_keys: frozenset[str] = frozenset()  # its article's headline words
    previous_keys: frozenset[str] = frozenset()  # the keys of the sentence before it («… تأسيسها»: what "it" is)
    passage_dense: float | None = None  # its passage's cosine to the question, when dense retrieval found it
    cosine: float | None = None  # to the question (e5), when vectors are at hand
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0  # the scorer's probability that it holds the answer

    @property
    def text(self) -> str:
        return self.article.text[self.start:self.end]

    @cached_property
    def attribution(self) -> Attribution | None:
        """Who it reports (qa/attribution.py); worked out only when asked: most
        questions never need it, and it reads the sentences before this one."""
        return attribution(self.article.text, self.spans, self.index) if self.spans else None

    def match_keys(self, said: bool = False) -> frozenset[str]:
        """``keys``, with ``SAID`` when ``said`` (the question has a verb of
        saying) and the sentence reports someone, even without such a verb
        («ولم يأتِ البيان…»)."""
        return self.keys | {SAID} if said and self.attribution is not None else self.keys

    @property
    def key(self) -> tuple[str, str]:
        """How the store keys its vector: (article id, sentence text)."""
        return self.article.id, self.text

    @property
    def words(self) -> int:
        return len(self.text.split())


def candidates(passages: list[Passage]) -> list[Sentence]:
    """Every sentence of the passages plus one either side, once each, keeping
    the best retrieval share of a passage that holds or touches it."""
    top = max((p.score for p in passages), default=0.0)
    spans_of: dict[str, list[Span]] = {}
    best: dict[tuple[str, int], tuple[float, int, bool, Passage]] = {}
    for rank, passage in enumerate(sorted(passages, key=lambda p: -p.score), start=1):
        spans = spans_of.setdefault(passage.article.id, split_sentences(passage.article.text))
        share = min(1.0, max(0.0, passage.score / top)) if top > 0 else 1.0
        for index, weight, neighbour in _around(spans, passage, share):
            key = (passage.article.id, index)
            if key not in best or best[key][0] < weight:
                best[key] = (weight, rank, neighbour, passage)
    titles: dict[str, frozenset[str]] = {}
    found = []
    for (article_id, index), (weight, rank, neighbour, passage) in best.items():
        if article_id not in titles:
            titles[article_id] = title_keys(passage.article)
        found.append(_sentence(passage, spans_of[article_id], index, weight, rank, neighbour, titles[article_id]))
    return [s for s in found if len(s.tokens) >= MIN_WORDS]


def _around(spans: list[Span], passage: Passage, share: float) -> list[tuple[int, float, bool]]:
    inside = [i for i, s in enumerate(spans) if s.start < passage.end and s.end > passage.start]
    if not inside:
        return []
    first, last = inside[0], inside[-1]
    out = [(i, share, False) for i in inside]
    out += [(i, share * NEIGHBOUR_DISCOUNT, True) for i in (first - 1, last + 1) if 0 <= i < len(spans)]
    return out


def _sentence(passage: Passage, spans: list[Span], index: int, retrieval: float, rank: int, neighbour: bool,
              title: frozenset[str]) -> Sentence:
    span = spans[index]
    text = passage.article.text[span.start:span.end]
    tokens = arabic.words(text)
    content = content_words(tokens)
    keys = keys_of_content(content)
    previous = frozenset()
    if index > 0:
        before = spans[index - 1]
        previous = keys_of_content(content_words(arabic.words(passage.article.text[before.start:before.end])))
    return Sentence(passage.article, span.start, span.end, passage.chunk_id, retrieval, rank, neighbour, index,
                    len(spans), tokens, frozenset(content), keys, spans, title, previous, passage.dense)


def keys_of_content(content: list[str]) -> frozenset[str]:
    """What content words match under: their Snowball stems and light stems."""
    keys = set(arabic.stem_words(content)) if content else set()
    for word in content:
        keys |= word_keys(word)
    return frozenset(keys)


def content_words(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in arabic.STOPWORDS and (len(t) > 1 or t.isdigit())]


def title_keys(article: Article) -> frozenset[str]:
    return keys_of([w for w in arabic.words(article.title or "") if w not in arabic.STOPWORDS])
