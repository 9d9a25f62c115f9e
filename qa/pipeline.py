"""From passages to an ``Answer``: a composer, then the shared finishing step.

``QA.ask`` retrieves and calls this; so may anyone holding passages already
(a test, a benchmark, another retriever):

    answer = compose("متى ستجرى الانتخابات؟", passages, embedder=embedder)
    for part in compose_stream(question, passages): ...   # text as it grows, then the Answer
"""

from __future__ import annotations

import contextlib
from typing import Iterator

from index.settings import Settings

from .answer import Answer, Passage
from .composer import Composer, Draft, Lookups, Request, growing
from .composers import get_composer
from .finish import finish
from .question import analyze


def request_for(question: str, passages: list[Passage], settings: Settings | None = None, lookups: Lookups | None = None,
                context_terms=(), history=None) -> Request:
    return Request(question, analyze(question), list(passages), settings or Settings(), lookups or Lookups(),
                   tuple(context_terms or ()), list(history or []))


def answer(request: Request, composer: Composer) -> Answer:
    return finish(request, composer.compose(request))


def answer_stream(request: Request, composer: Composer) -> Iterator[str | Answer]:
    """The answer text as it grows, then the Answer.  A composer that writes
    all at once is judged first, so a user never sees a draft the shared
    step then withdraws; one that streams tokens streams them as they come."""
    if not getattr(composer, "streams_tokens", False):
        final = answer(request, composer)
        yield from growing(final.text)
        yield final
        return
    draft = None
    with contextlib.closing(composer.stream(request)) as parts:  # a caller that stops reading stops the composer
        for part in parts:
            if isinstance(part, Draft):
                draft = part
            else:
                yield part
    yield finish(request, draft or Draft(cannot_answer=True, composer=composer.name))


def live_lookups(embedder, question: str, store=None) -> Lookups:
    """Lookups backed by a store's stored vectors and idf, with ``embedder``
    embedding whatever the store lacks (or everything, without a store)."""
    if embedder is None:
        return Lookups(idf=store.idf if store is not None else None)

    def sentence_vectors(keys):
        found = store.sentence_vectors(keys) if store is not None else {}
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            found.update(zip(missing, embedder.embed_passages([text for _, text in missing])))
        return found

    return Lookups(question_vector=lambda: embedder.embed_query([question])[0], sentence_vectors=sentence_vectors,
                   idf=store.idf if store is not None else None)


def compose(question: str, passages: list[Passage], embedder=None, settings: Settings | None = None,
            context_terms=(), composer: Composer | None = None, store=None) -> Answer:
    """Answer ``question`` from ``passages``; with ``store`` its sentence
    vectors and idf are used, else sentences are embedded here."""
    settings = settings or Settings()
    composer = composer or get_composer(settings.composer, settings)
    lookups = live_lookups(embedder, question, store)
    return answer(request_for(question, passages, settings, lookups, context_terms), composer)


def compose_stream(question: str, passages: list[Passage], embedder=None, settings: Settings | None = None,
                   context_terms=(), composer: Composer | None = None, store=None) -> Iterator[str | Answer]:
    settings = settings or Settings()
    composer = composer or get_composer(settings.composer, settings)
    request = request_for(question, passages, settings, live_lookups(embedder, question, store), context_terms)
    yield from answer_stream(request, composer)
