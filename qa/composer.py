"""The composer seam: retrieve → a composer → the shared finishing step.

A composer turns the retrieved passages into a ``Draft``: answer text with
``[n]`` markers, the citations behind them, the short answer if any, and
how well it thinks its sentences answer (``support``).  It sees the
passages and a few narrow lookups (``Lookups``), never the store.  The
shared step (``qa/finish.py``) then decides to answer or abstain, picks
suggestions and checks every quote; so a new composer is one module and
one line in ``qa/composers.py``, where they are registered.

    composer = get_composer("extractive", settings)   # qa/composers.py
    draft = composer.compose(request)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, Protocol

import numpy as np

from index.settings import Settings

from .answer import Citation, Passage
from .question import Question
from .when import TimeWindow


@dataclass
class Lookups:
    """What a composer may ask of the store.  Each works without a store:
    a question built by hand in a test gets live embeddings, or none."""

    question_vector: Callable[[], np.ndarray | None] = lambda: None
    # (article id, sentence text) pairs -> their vectors (stored at ingest, else embedded now)
    sentence_vectors: Callable[[list[tuple[str, str]]], dict] = lambda keys: {}
    # BM25 idf of content terms over the whole store (all 1.0 without one)
    idf: Callable[[list[str]], dict[str, float]] | None = None


@dataclass
class Request:
    question: str
    asked: Question
    passages: list[Passage]
    settings: Settings
    lookups: Lookups = field(default_factory=Lookups)
    context_terms: tuple[str, ...] = ()  # earlier turns' terms (follow-ups)
    history: list = field(default_factory=list)  # earlier (question, answer) turns
    asked_as: str | None = None  # the question as the user typed it, when ``question`` is its spell-checked form
    time_window: TimeWindow | None = None  # the days the question names, and whether it wants the newest report


@dataclass
class Draft:
    """A composer's answer before the shared step has judged it."""

    text: str = ""
    citations: list[Citation] = field(default_factory=list)
    short: str | None = None
    short_citation: int | None = None
    support: float = 0.0  # the composer's own evidence that its sentences answer (a logit)
    evidence: dict[str, float] = field(default_factory=dict)  # more signals for the confidence model
    cannot_answer: bool = False  # nothing to quote, or the composer itself says the articles do not answer
    composer: str = ""
    note: str | None = None  # what the user should know about how it was written (a fallback, say)
    dropped: int = 0  # generated sentences that verification removed
    generations: list = field(default_factory=list)  # a model's replies before verification: text, tokens, seconds


class Composer(Protocol):
    name: str

    def compose(self, request: Request) -> Draft: ...

    def stream(self, request: Request) -> Iterator[str | Draft]: ...


def growing(text: str, step: int = 3) -> Iterator[str]:
    """Ever longer prefixes of ``text``, cut after every ``step`` words: how a
    composer that writes all at once still streams."""
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    for i in range(step - 1, len(ends), step):
        yield text[:ends[i]]
    if ends and (len(ends) % step):
        yield text
