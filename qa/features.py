"""What the sentence scorer sees of each candidate: a fixed list of numbers
(``FEATURES``), each a plain signal of whether the sentence answers the
question.  Nothing here is weighted: the weights are fitted from data
(``python -m bench --condition scorer``) and live in
``qa/models/sentence_scorer.json``.

    fill(asked, sentences, vectors=[...], query=question_vector)
    sentences[0].features["coverage"]
"""

from __future__ import annotations

import math

import numpy as np

from . import rules
from .candidates import Sentence
from .rules import SAID
from .question import Question, answer_cue, is_day, is_month, is_year, keys_of, word_keys

CUE_KINDS = ("when", "count", "who", "where", "why", "how")
FEATURES = (
    "coverage",      # idf-weighted share of the question's terms it has (a term only in the headline: half)
    "coverage_gap",  # its coverage minus the best candidate's
    "coverage_rank",  # 1 / its rank by coverage
    "previous_coverage",  # coverage of the sentence before it (the answer often follows the sentence naming the topic)
    "next_coverage",  # coverage of the sentence after it, when that one is a candidate too
    "window_coverage",  # coverage of it and the sentence before it together
    "rarest",        # 1 when it has the question's rarest term (among the candidates)
    "matched",       # share of the question's terms in the sentence itself, unweighted
    "order",         # share of consecutive question-term pairs found near each other, in order
    "cosine",        # e5 cosine to the question (0 when no vectors are at hand)
    "cosine_gap",    # its cosine minus the best candidate's
    "cosine_rank",   # 1 / its rank by cosine
    "window_cosine",  # cosine of it and the candidate before it, as one summed vector (the topic, then the answer)
    "previous_cosine",  # the candidate before it: its cosine (0 when that one is not a candidate)
    "next_cosine",   # the candidate after it: its cosine
    "passage_cosine",  # its passage's cosine to the question (0 when dense retrieval did not find it)
    "retrieval",     # its passage's fused score, as a share of the best passage's
    "passage_rank",  # 1 / that passage's rank
    "neighbour",     # 1 when it only touches its passage (the sentence before or after)
    "article_votes",  # share of the retrieved passages that come from its article
    "position",      # its place in the article, 0 (first) .. 1 (last)
    "lead",          # 1 for an article's first sentence
    "length",        # log of its word count
    "long",          # words past LONG_WORDS, as a share of LONG_WORDS
    "novel",         # share of its content words the question does not have
    *(f"cue_{k}" for k in CUE_KINDS),  # the answer-kind cue, one column per kind asked
    "date_precision",  # «متى»: 1/3 a year, 2/3 a month, 1 a day
    "number_near",   # «كم»: a number within NUMBER_NEAR words of an asked word
    "source_named",  # «ماذا قالت X؟»: the sentence reports X
    "statement_only",  # it only says that a statement was issued
    "question_mark",  # it is itself a question («ولكن ما هي الحال الآن؟»)
)
LONG_WORDS = 35
NUMBER_NEAR = 2  # «كم محطة»: a number this close to an asked word is the answer
ORDER_WINDOW = 3  # tokens between two question terms that still count as "near"
TITLE_SHARE = 0.5  # a term only in the article's headline: news sentences lean on the headline


def fill(asked: Question, sentences: list[Sentence], vectors: list[np.ndarray | None] | None = None,
         query: np.ndarray | None = None, terms: tuple[str, ...] | None = None) -> np.ndarray:
    """Compute every candidate's ``features`` (and ``cosine``) from its
    words and, when at hand, its e5 vector and the question's; returns the
    matrix in ``FEATURES`` order, one row per sentence."""
    terms = terms if terms is not None else asked.terms
    said = asks_said(terms)
    idf = local_idf(terms, sentences, said)
    term_keys = [word_keys(t) for t in terms]
    vectors = vectors if vectors is not None and query is not None else [None] * len(sentences)
    votes: dict[str, int] = {}
    for s in sentences:
        votes[s.article.id] = votes.get(s.article.id, 0) + (not s.neighbour)
    total_votes = sum(votes.values()) or 1
    for sentence, vector in zip(sentences, vectors):
        sentence.cosine = float(np.dot(vector, query)) if vector is not None else None
        sentence.features = _own(asked, terms, term_keys, idf, sentence, votes[sentence.article.id] / total_votes, said)
    _relative(sentences)
    _neighbours(sentences, vectors, query, idf)
    return np.array([[s.features[f] for f in FEATURES] for s in sentences], dtype=np.float64).reshape(-1, len(FEATURES))


def asks_said(terms) -> bool:
    """Whether a term is a verb of saying (it then matches any reported sentence)."""
    return any(SAID in word_keys(t) for t in terms)


def local_idf(terms, sentences: list[Sentence], said: bool | None = None) -> dict[str, float]:
    """BM25-style idf of each question term over the candidates; a term no
    candidate has keeps the highest weight, so missing it costs coverage."""
    said = asks_said(terms) if said is None else said
    n = len(sentences)
    idf = {}
    for term in terms:
        keys = word_keys(term)
        df = sum(1 for s in sentences if keys & s.match_keys(said))
        idf[term] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
    return idf


def coverage(weights: dict[str, float], keys: frozenset[str], title: frozenset[str] = frozenset()) -> float:
    """Weighted share of the terms in ``keys``; a term only in ``title`` counts TITLE_SHARE."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    found = 0.0
    for term, weight in weights.items():
        k = word_keys(term)
        found += weight if k & keys else weight * TITLE_SHARE if k & title else 0.0
    return found / total


def _own(asked: Question, terms, term_keys, idf, s: Sentence, votes: float, said: bool) -> dict[str, float]:
    keys = s.match_keys(said)
    content_keys = [word_keys(w) for w in s.content]
    question_keys = keys_of(terms)
    novel = sum(1 for k in content_keys if not k & question_keys) / len(content_keys) if content_keys else 0.0
    # the cue counts what the sentence adds: a year the question names is no answer to «متى»
    cue = answer_cue(asked.kind, [t for t in s.tokens if not word_keys(t) & question_keys])
    rarest = max(idf, key=idf.get) if idf else None
    f = {
        "coverage": coverage(idf, keys, s.title_keys),
        "previous_coverage": coverage(idf, s.previous_keys),
        "window_coverage": coverage(idf, keys | s.previous_keys, s.title_keys),
        "rarest": float(rarest is not None and bool(word_keys(rarest) & keys)),
        "passage_cosine": s.passage_dense or 0.0,
        "matched": sum(1 for k in term_keys if k & keys) / len(term_keys) if term_keys else 0.0,
        "order": _order(term_keys, s.tokens),
        "cosine": s.cosine if s.cosine is not None else 0.0,
        "retrieval": s.retrieval, "passage_rank": 1.0 / s.passage_rank, "neighbour": float(s.neighbour),
        "article_votes": votes, "position": s.index / max(1, s.count - 1), "lead": float(s.index == 0),
        "length": math.log(max(1, len(s.tokens))), "long": max(0, len(s.tokens) - LONG_WORDS) / LONG_WORDS,
        "novel": novel,
        **{f"cue_{k}": cue if asked.kind == k else 0.0 for k in CUE_KINDS},
        "date_precision": date_precision(s.tokens) / 3 if asked.kind == "when" else 0.0,
        "number_near": float(asked.kind == "count" and _number_near(question_keys, s.tokens)),
        "source_named": float(asked.reported and s.attribution is not None and source_named(s, question_keys)),
        "statement_only": float(statement_only(s.tokens)),
        "question_mark": float(s.text.rstrip("”»\"') ").endswith(("؟", "?"))),
    }
    return f


def _relative(sentences: list[Sentence]) -> None:
    """Signals measured against the other candidates of the same question."""
    if not sentences:
        return
    best_coverage = max(s.features["coverage"] for s in sentences)
    best_cosine = max(s.features["cosine"] for s in sentences)
    for rank, i in enumerate(sorted(range(len(sentences)), key=lambda i: -sentences[i].features["cosine"]), start=1):
        f = sentences[i].features
        f["coverage_gap"] = f["coverage"] - best_coverage
        f["cosine_gap"] = f["cosine"] - best_cosine
        f["cosine_rank"] = 1.0 / rank if sentences[i].cosine is not None else 0.0
    for rank, i in enumerate(sorted(range(len(sentences)), key=lambda i: -sentences[i].features["coverage"]), start=1):
        sentences[i].features["coverage_rank"] = 1.0 / rank


def _neighbours(sentences: list[Sentence], vectors: list, query, idf: dict[str, float]) -> None:
    """Signals read off the candidates just before and after each one in its
    article: an answer often completes the sentence that names the topic."""
    at = {(s.article.id, s.index): i for i, s in enumerate(sentences)}
    for i, s in enumerate(sentences):
        before, after = at.get((s.article.id, s.index - 1)), at.get((s.article.id, s.index + 1))
        f = s.features
        f["next_coverage"] = coverage(idf, sentences[after].keys) if after is not None else 0.0
        f["previous_cosine"] = sentences[before].features["cosine"] if before is not None else 0.0
        f["next_cosine"] = sentences[after].features["cosine"] if after is not None else 0.0
        f["window_cosine"] = f["cosine"]
        if before is not None and vectors[i] is not None and vectors[before] is not None:
            window = vectors[i] + vectors[before]
            f["window_cosine"] = float(np.dot(window, query) / (np.linalg.norm(window) or 1.0))


def _order(term_keys: list[frozenset[str]], tokens: list[str]) -> float:
    """Share of consecutive question-term pairs (a, b) with a b within
    ORDER_WINDOW tokens after an a: paraphrases keep the question's phrases."""
    if len(term_keys) < 2:
        return 0.0
    positions = [[i for i, t in enumerate(tokens) if word_keys(t) & k] for k in term_keys]
    pairs = list(zip(positions, positions[1:]))
    near = sum(1 for a, b in pairs if any(0 < j - i <= ORDER_WINDOW for i in a for j in b))
    return near / len(pairs)


def source_named(s: Sentence, question_keys: frozenset[str]) -> bool:
    """Every word of one of its source's names is in the question («الرئاسة
    السورية» names the Syrian presidency, not the Russian one)."""
    return any(all(word_keys(w) & question_keys for w in name) for name in s.attribution.names)


def date_precision(tokens: list[str]) -> int:
    """How exact the most exact date in the sentence is: 3 a day («26 أيار»،
    «الاثنين 26 أبريل»), 2 a month, 1 a year, 0 none."""
    level = 0
    for i, t in enumerate(tokens):
        if is_month(t):
            window = tokens[max(0, i - 3):i] + tokens[i + 1:i + 2]
            level = max(level, 3 if any(is_day(w) for w in window) else 2)
        elif is_year(t):
            level = max(level, 1)
        if level == 3:
            break
    return level


def _number_near(asked_keys: frozenset[str], tokens: list[str]) -> bool:
    numbers = [i for i, t in enumerate(tokens) if any(c.isdigit() for c in t) or word_keys(t) & rules.NUMBER_WORDS]
    return any(word_keys(tokens[j]) & asked_keys for i in numbers
               for j in range(max(0, i - NUMBER_NEAR), min(len(tokens), i + NUMBER_NEAR + 1)) if j != i)


def statement_only(tokens: list[str]) -> bool:
    """«أصدرت الرئاسة الروسية “الكرملين” اليوم بياناً نقلته وكالة…»: a
    publishing verb and a statement noun, and no «أن» clause saying what
    the statement said."""
    bare = [t[1:] if t[:1] in rules.CONJUNCTIONS and len(t) > 3 else t for t in tokens]
    publishes = any(b in rules.PUBLISH_VERBS for b in bare)
    statement = any(b in rules.STATEMENT_NOUNS for b in bare)
    says = any(b in rules.CONTENT_CLAUSE for b in bare)
    return publishes and statement and not says
