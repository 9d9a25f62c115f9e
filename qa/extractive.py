"""The extractive composer (the default): a short Arabic answer cut from the
retrieved articles.  No language model writes anything.

candidates (qa/candidates.py) → features (qa/features.py) → the fitted
sentence scorer (qa/scorer.py) → the choice of sentences (qa/select.py) →
the text with its markers (qa/render.py) and the short answer (qa/short.py).

    draft = ExtractiveComposer(settings).compose(request)
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from index.chunk import split_sentences
from index.settings import Settings

from . import features, reports
from .answer import Passage
from .candidates import Sentence, candidates
from .composer import Draft, Request, growing
from .question import keys_of
from .render import render
from .scorer import SentenceScorer
from .select import choose, lead_with
from .short import short_answer


class ExtractiveComposer:
    name = "extractive"

    def __init__(self, settings: Settings | None = None, scorer: SentenceScorer | None = None):
        self.settings = settings
        self._scorer = scorer

    @property
    def scorer(self) -> SentenceScorer:
        """The given scorer, else ``settings.scorer_model``, else the one shipped
        in qa/models/ (read on first use)."""
        if self._scorer is None:
            path = getattr(self.settings, "scorer_model", "")
            self._scorer = SentenceScorer.load(path) if path else SentenceScorer.default()
        return self._scorer

    @scorer.setter
    def scorer(self, scorer: SentenceScorer) -> None:
        self._scorer = scorer

    def compose(self, request: Request) -> Draft:
        sentences, terms = self.candidates(request)
        if not sentences or not terms:
            return Draft(cannot_answer=True, composer=self.name)
        matrix, with_vectors = self.featurize(request, sentences, terms)
        z, p = self.scorer.score(matrix, with_vectors)
        for sentence, prob in zip(sentences, p):
            sentence.score = float(prob)
        ranked = sorted(range(len(sentences)), key=lambda i: -p[i])
        best = int(ranked[0])
        ranked = [sentences[i] for i in ranked]
        idf = features.local_idf(terms, sentences)
        limit = max(1, int(getattr(request.settings, "max_answer_sentences", 3)))
        segments = choose(request.asked, ranked, idf, float(self.scorer.select.get("cost_per_word", 0.0)), limit,
                          request.time_window)
        found = short_answer(request.asked.kind, [s.sentence for s in segments], keys_of(terms))
        short, short_n = found or (None, None)
        segments = lead_with(segments, short_n)
        text, citations = render(segments)
        note = reports.calendar_note(segments[0].sentence) if request.asked.kind == "when" and not found else None
        if note:  # «أمس الأحد»: the calendar day it was, from the article's date
            text, short, short_n = f"{text} ({note})", note, segments[0].sentence
        if short_n is not None:
            short_n = next(c.n for c in citations if (c.article_id, c.start) == (short_n.article.id, short_n.start))
        return Draft(text=text, citations=citations, short=short, short_citation=short_n,
                     support=float(z[best]), evidence={"top_probability": float(p[best])}, composer=self.name)

    def stream(self, request: Request) -> Iterator[str | Draft]:
        draft = self.compose(request)
        yield from growing(draft.text)
        yield draft

    def candidates(self, request: Request) -> tuple[list[Sentence], tuple[str, ...]]:
        """The sentences to score and the terms to score them by (the
        question's own; an elliptical follow-up's come from earlier turns)."""
        terms = request.asked.terms or tuple(request.context_terms)
        passages = request.passages
        if request.asked.broad and passages:  # the points may lie outside the retrieved chunks
            weakest = min(p.score for p in passages)
            passages = [*passages, whole_article(max(passages, key=lambda p: p.score), weakest)]
        return candidates(passages), terms

    def featurize(self, request: Request, sentences: list[Sentence], terms) -> tuple[np.ndarray, bool]:
        """The feature matrix (``features.FEATURES`` columns) and whether e5
        vectors were at hand for the cosines."""
        query, vectors = vectors_of(request, sentences)
        matrix = features.fill(request.asked, sentences, vectors, query, terms)
        return matrix, bool(sentences) and sentences[0].cosine is not None


def vectors_of(request: Request, sentences: list[Sentence]) -> tuple[np.ndarray | None, list[np.ndarray | None]]:
    """The question's vector and every candidate's: stored vectors, read in
    one request, or embedded now; None throughout without a question vector."""
    query = request.lookups.question_vector()
    if query is None:
        return None, [None] * len(sentences)
    vectors = request.lookups.sentence_vectors([s.key for s in sentences])
    return query, [vectors.get(s.key) for s in sentences]


def whole_article(passage: Passage, score: float) -> Passage:
    """A passage spanning all of ``passage``'s article, scored as the weakest
    retrieved one: its other sentences count as barely retrieved."""
    spans = split_sentences(passage.article.text)
    end = spans[-1].end if spans else len(passage.article.text)
    return Passage(passage.chunk_id, passage.article, 0, end, score, None, None)
