"""The Python API.

    from qa import QA
    qa = QA.open()                        # the default store ($QA_HOME/store)
    qa = QA.open("path/to/store")         # another one
    qa = QA.open(chroma_host="localhost", chroma_port=8000)   # a Chroma server
    answer = qa.ask("ماذا ناقش الأسد وبوتين؟")
    print(answer.text, answer.citations, answer.abstained, answer.to_dict())
    follow_up = qa.ask("ومتى ستجرى الانتخابات؟", history=[(answer.question, answer.text)])
    for part in qa.ask_stream("..."):     # str while it grows, then the Answer
        ...
    qa.ingest(["articles/"])              # the same summary as `qa ingest --json`
    qa.info()                             # where the store is, what built it, counts
    QA.open(embedder=my_embedder, composer="extractive")   # bring your own embedder / pick a composer
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

from index import arabic
from index.documents import Article
from index.settings import Settings, environment_defaults
from index.store import Store, StoreError, server_errors

from . import inputs, recency, spelling, when
from .answer import Answer
from .composer import growing
from .composers import get_composer
from .conversation import contextualise
from .pipeline import answer, answer_stream, live_lookups, request_for
from .retrieve import Retriever


class QuestionError(ValueError):
    """A question that cannot be asked (empty, too long)."""


class QA:
    def __init__(self, settings: Settings, create: bool = False, embedder=None, composer=None):
        """``embedder``: any object with ``embed_query``/``embed_passages``
        (default: the store's model); ``composer``: a composer's name in
        ``qa.composers.COMPOSERS`` or a composer object (default:
        ``settings.composer``)."""
        environment_defaults()
        self.settings = settings
        if create:
            from index.build import creating

            with creating(settings):
                self.store = Store(settings, embedder=embedder, create=True)
        else:
            self.store = Store(settings, embedder=embedder)
        self.store.check_model()
        self.retriever = Retriever(self.store, settings)
        if composer is None or isinstance(composer, str):
            composer = get_composer(composer or settings.composer, settings)
        self.composer = composer
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, store: str | Path | None = None, create: bool = False, embedder=None, composer=None,
             **settings) -> "QA":
        """Open a store by path (default: ``$QA_STORE`` or ``$QA_HOME/store``);
        keyword arguments override any ``Settings`` field."""
        return cls(Settings.from_env(store=Path(store) if store else None, **settings), create=create,
                   embedder=embedder, composer=composer)

    @property
    def embedder(self):
        return self.store.embedder

    # -- asking ---------------------------------------------------------------
    def _check(self, question) -> str:
        if not isinstance(question, str) or not question.strip():
            raise QuestionError("السؤال فارغ (the question is empty)")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(f"السؤال أطول من {self.settings.max_question_chars} حرف "
                                f"(the question is longer than {self.settings.max_question_chars} characters)")
        # diacritics and tatweel are the question's, not its words': they must not change the answer
        return " ".join(arabic.strip_marks(question).split())

    def request(self, question: str, history=None, k: int | None = None, sources=None, since=None, until=None,
                mode: str | None = None, use_window: bool = True):
        """What the composer is handed for ``question``: the retrieved passages
        and the lookups (benchmarks and new composers start here).  The time
        the question names («أمس»، «في 10 أغسطس»، «آخر…», see qa/when.py)
        narrows the date filter and, for «آخر/أحدث», puts the newest relevant
        report first; ``use_window=False`` keeps only the caller's filters."""
        asked = self._check(question)
        given = inputs.filters(sources, since, until)
        window = when.parse(asked, when.today_from(self.settings.today))
        filters = recency.narrow(given, window) if use_window else given
        wanted = k or self.settings.top_k
        with server_errors(self.store.location):
            # «ماهو» → «ما هو», «لسويسرا» → «سويسرا» where the store knows only that; the time words left out
            question = spelling.respell(spelling.unglue(window.topic or asked), self.store.idf)
            query, context_terms = contextualise(question, inputs.history(history))
            pool = wanted * recency.RECENCY_POOL if window.latest else wanted
            passages = self.retriever.search(query, k=pool, filters=filters, mode=mode)
            if window.latest:
                passages = recency.newest_first(passages, question, self.store.idf)[:wanted]
        request = request_for(question, passages, self.settings, live_lookups(self.embedder, question, self.store),
                              context_terms, history)
        request.asked_as = asked
        request.time_window = window
        return request

    def ask(self, question: str, history=None, k: int | None = None, sources=None, since=None, until=None,
            mode: str | None = None) -> Answer:
        """Answer ``question`` from the stored articles, with citations, or
        abstain; a window with nothing relevant says so and names the newest
        relevant report outside it."""
        request = self.request(question, history, k, sources, since, until, mode)
        with server_errors(self.store.location):  # stored sentence vectors come from the server too
            found = answer(request, self.composer)
            window = request.time_window
            if found.abstained and window is not None and window.dated:
                wider = self.request(question, history, k, sources, since, until, mode, use_window=False)
                found = recency.outside_window(found, window, answer(wider, self.composer))
            return found

    def ask_stream(self, question: str, history=None, k: int | None = None, sources=None, since=None,
                   until=None, mode: str | None = None) -> Iterator[str | Answer]:
        """Like ``ask``, but yields the answer text as it grows, then the Answer."""
        if when.parse(self._check(question), when.today_from(self.settings.today)).dated:
            final = self.ask(question, history, k, sources, since, until, mode)  # it may look outside the window
            yield from growing(final.text)
            yield final
            return
        request = self.request(question, history, k, sources, since, until, mode)
        with server_errors(self.store.location):
            yield from answer_stream(request, self.composer)

    def search(self, query: str, k: int | None = None, mode: str | None = None, **filters):
        """Retrieval only: the passages the composer would see."""
        query = self._check(query)
        with server_errors(self.store.location):
            return self.retriever.search(query, k=k, mode=mode, filters=inputs.filters(
                filters.get("sources"), filters.get("since"), filters.get("until")))

    # -- the collection -----------------------------------------------------------
    def articles(self) -> list[dict]:
        with server_errors(self.store.location):
            return self.store.list_articles()

    def article(self, article_id: str) -> Article:
        with server_errors(self.store.location):
            found = self.store.get_article(article_id)
        if found is None:
            raise KeyError(f"لا مقالة بالمعرّف {article_id!r} في المخزن "
                           f"(no article with id {article_id!r} in {self.store.location})")
        return found

    def sources(self) -> list[str]:
        return sorted({a["source"] for a in self.articles() if a["source"]})

    def ingest(self, paths, delete=(), progress: bool | None = False, on_article=None, lock_timeout: float = 0) -> dict:
        from index.build import ingest

        with self._write_lock:
            return ingest(paths, self.settings, delete=delete, store=self.store, progress=progress,
                          on_article=on_article, lock_timeout=lock_timeout)

    def info(self) -> dict:
        """Where the store is, what built it (the manifest) and what it holds."""
        with server_errors(self.store.location):
            return {"store": self.store.location, "articles": self.store.articles.count(),
                    "chunks": self.store.count_chunks(),
                    "sentence_vectors": self.store.sentences.count() if self.store.sentences is not None else 0,
                    **self.store.manifest}

    def health(self) -> dict:
        """``{"status": "ok", "articles": N}``, or ``{"status": "error", "error": …}``
        when the store does not answer or its vector index disagrees with it."""
        return self.store.health()

    def warm_up(self) -> None:
        """Load the model and the BM25 index now rather than on the first question."""
        self.embedder.embed_query(["تحميل"])
        self.store.lexical()


def open_store(store: str | Path | None = None, **settings) -> QA:
    return QA.open(store, **settings)


__all__ = ["QA", "QuestionError", "StoreError", "open_store"]
