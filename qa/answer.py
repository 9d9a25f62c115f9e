"""What the asking side hands back: passages in, a cited answer out."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.documents import Article


@dataclass
class Passage:
    """A retrieved chunk with its whole article, so sentences can be quoted
    exactly: ``article.text[start:end]`` is the chunk's text."""

    chunk_id: str
    article: Article
    start: int
    end: int
    score: float  # fused retrieval score, higher is better
    dense: float | None = None  # cosine similarity to the question, if dense retrieval found it
    bm25: float | None = None  # BM25 score, if lexical retrieval found it

    @property
    def text(self) -> str:
        return self.article.text[self.start:self.end]


@dataclass
class Citation:
    n: int
    article_id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    quote: str  # an exact substring of the article's cleaned text
    chunk_id: str
    score: float
    start: int = 0  # the quote's offsets in the article's cleaned text
    end: int = 0

    def to_dict(self) -> dict:
        return {"n": self.n, "article_id": self.article_id, "title": self.title, "source": self.source,
                "url": self.url, "published": self.published, "quote": self.quote,
                "chunk_id": self.chunk_id, "score": round(float(self.score), 4)}


@dataclass
class Suggestion:
    """A nearby article offered when the answer abstains (no citation)."""

    article_id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # what retrieval handed the composer
    short: str | None = None  # the short answer («26 من شهر أيار/ مايو»): a substring of ``text``
    short_citation: int | None = None  # the citation whose quote holds ``short``
    confidence: float = 0.0  # the modelled chance that the articles answer (qa/confidence.py)
    kind: str = "other"  # what the question asks for (qa/question.py)
    evidence: dict[str, float] = field(default_factory=dict)  # what ``confidence`` was computed from
    composer: str = "extractive"  # which composer wrote it
    time_window: object | None = None  # qa.when.TimeWindow: the days the question names (None: none)
    note: str | None = None  # a line for the user on how it was written («the model was down: extractive answer»)
    dropped: int = 0  # generated sentences removed because their cited passage does not support them

    def to_dict(self) -> dict:
        """The answer JSON. An abstention names its suggestions in ``answer``
        itself, so the shape never changes; ``short`` is null when the
        question asks for no single fact or the answer does not state one;
        ``time_window`` ({"since", "until", "text", "latest"}) is null when
        the question names no time; ``composer``, ``note`` and ``dropped``
        say who wrote it and how."""
        short = {"text": self.short, "citation": self.short_citation} if self.short else None
        window = self.time_window
        shown = window.to_dict() if window is not None and (window.dated or window.latest) else None
        return {"question": self.question, "answer": self.text, "abstained": self.abstained,
                "citations": [c.to_dict() for c in self.citations], "short": short, "time_window": shown,
                "composer": self.composer, "note": self.note, "dropped": self.dropped}
