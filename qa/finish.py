"""The step every composer's draft goes through before a user sees it.

1. Every citation's quote must be an exact substring of its article (moved to
   where it is, else dropped with its marker), and a marker group «[1][2]»
   may only join quotes that state the same facts (``qa/facts.py``).
2. A question naming a number or a place that the cited articles never
   mention is not answered from them: «معرض الكتاب في مدينة الدمام؟» is not
   answered from an article about Abha's; nor one whose terms the store has
   mostly never seen (``unseen_share``, fitted with the confidence model):
   «ماذا ناقش الأسد وبوتين؟» once no article names either.
3. The confidence model (``qa/confidence.py``) decides, from signals any
   draft has: answer, or abstain and name the nearest articles instead.

    answer = finish(request, draft)
"""

from __future__ import annotations

import math
import re

from index import arabic

from . import confidence, places
from .answer import Answer, Citation, Passage, Suggestion
from .composer import Draft, Request
from .facts import same_facts

ABSTAIN_TEXT = "لا تتضمن المقالات المخزنة إجابة عن هذا السؤال."
SUGGEST_TEXT = "أقرب المقالات: {}."
SUGGESTIONS = 3
_GROUP = re.compile(r"(?:\[\d+\])+")
_MARKER = re.compile(r"\[(\d+)\]")


def finish(request: Request, draft: Draft) -> Answer:
    articles = {p.article.id: p.article for p in request.passages}
    text, citations, short_n = verify(draft.text, draft.citations, articles, draft.short_citation)
    cited = [articles[c.article_id] for c in citations]
    models = getattr(request.settings, "confidence_model", "")  # empty: the shipped ones
    evidence = evidence_of(request, draft, cited, [c.quote for c in citations])
    sure = confidence.probability(evidence, path=models) if citations else 0.0
    base = dict(question=request.asked_as or request.question, confidence=sure,
                kind=request.asked.kind, evidence=evidence, composer=draft.composer, time_window=request.time_window,
                note=draft.note, dropped=draft.dropped)
    if draft.cannot_answer or not citations or sure < _threshold(request) or not _names_things(request, cited, evidence):
        return abstain(request.passages, **base)
    short = draft.short if short_n is not None and draft.short and draft.short in text else None
    return Answer(text=text, abstained=False, citations=citations, passages=list(request.passages), short=short,
                  short_citation=short_n if short else None, **base)


def evidence_of(request: Request, draft: Draft, cited: list, quotes: list[str]) -> dict[str, float | None]:
    """The confidence model's signals (qa/confidence.py FEATURES) for a draft."""
    main = cited[0] if cited else _best_article(request.passages)
    # the quotes with their headlines: a news sentence leans on its headline
    quoted = [f"{a.title or ''}\n{q}" for a, q in zip(cited, quotes)]
    question, idf = request.question, request.lookups.idf
    return {
        "support": draft.support, "top_probability": draft.evidence.get("top_probability", 0.0),
        "article_coverage": confidence.article_coverage(question, main, idf),
        "dense": _best_cosine(request.passages),
        "missing_rare": confidence.missing_rare(question, [main] if main else [], idf),
        "answer_coverage": confidence.text_coverage(question, quoted, idf),
        "answer_missing_rare": confidence.text_missing_rare(question, quoted, idf),
        "question_terms": math.log1p(len(confidence.question_terms(question))),
        "unseen": confidence.unseen(question, idf),
        "article_phrases": confidence.article_phrases(question, main, idf),
        "answer_phrases": confidence.phrase_coverage(question, quoted, idf),
    }


def _names_things(request: Request, cited: list, evidence: dict) -> bool:
    """Whether the cited articles are about what the question names: its
    numbers and places are in them, and the store has seen most of its words."""
    models = getattr(request.settings, "confidence_model", "")
    return not names_missing(request.question, cited) and evidence["unseen"] < confidence.unseen_share(models)


def abstain(passages: list[Passage], **fields) -> Answer:
    """The abstention, naming the nearest articles."""
    suggestions = suggest(passages)
    titles = "، ".join(f"«{s.title or s.article_id}»" for s in suggestions)
    text = f"{ABSTAIN_TEXT} {SUGGEST_TEXT.format(titles)}" if suggestions else ABSTAIN_TEXT
    return Answer(text=text, abstained=True, suggestions=suggestions, passages=list(passages), **fields)


def suggest(passages: list[Passage], limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The articles of the best passages, once each, best first."""
    seen, out = set(), []
    for passage in sorted(passages, key=lambda p: -p.score):
        a = passage.article
        if a.id not in seen:
            seen.add(a.id)
            out.append(Suggestion(a.id, a.title, a.source, a.url, a.published))
    return out[:limit]


# -- checking the citations ------------------------------------------------------------
def verify(text: str, citations: list[Citation], articles: dict, short_n: int | None = None):
    """(text, citations, short_n) with every quote exact and every marker
    group joining same-fact quotes; markers renumbered 1..N in order."""
    kept = {c.n: c for c in citations if _locate(c, articles)}
    by_n = {c.n: c for c in citations}

    def group(match: re.Match) -> str:
        numbers = [int(n) for n in _MARKER.findall(match.group())]
        numbers = [n for n in numbers if n in kept]
        if numbers:
            first = kept[numbers[0]].quote
            numbers = [numbers[0]] + [n for n in numbers[1:] if same_facts(first, kept[n].quote)]
        return "".join(f"[{n}]" for n in numbers)

    text = _GROUP.sub(group, text)
    text = " ".join(text.split())
    order = list(dict.fromkeys(int(n) for n in _MARKER.findall(text)))
    renumber = {old: new for new, old in enumerate(order, start=1)}
    text = _MARKER.sub(lambda m: f"[{renumber[int(m.group(1))]}]", text)
    out = []
    for old in order:
        c = by_n[old]
        c.n = renumber[old]
        out.append(c)
    return text, out, renumber.get(short_n) if short_n is not None else None


def _locate(citation: Citation, articles: dict) -> bool:
    """Whether the quote is in its article; moves its offsets there if needed."""
    article = articles.get(citation.article_id)
    if article is None or not citation.quote:
        return False
    if article.text[citation.start:citation.end] == citation.quote:
        return True
    at = article.text.find(citation.quote)
    if at < 0:
        return False
    citation.start, citation.end = at, at + len(citation.quote)
    return True


# -- named things ------------------------------------------------------------------------
def names_missing(question: str, cited) -> bool:
    """A number or a place the question names that no cited article has:
    «معرض الكتاب في مدينة الدمام؟» is not answered from Abha's."""
    if not cited:
        return False
    asked = arabic.words(question)
    numbers = [w for w in asked if w.isdigit()]
    named = [p for p in map(places.place_of, asked) if p]
    if not numbers and not named:
        return False
    text = " ".join(arabic.normalize(f"{a.title or ''} {a.text}") for a in cited)
    words = set(arabic.words(text))
    # a number in «2015م» or «و33» is still that number; never part of a longer one
    return not all(re.search(rf"(?<!\d){n}(?!\d)", text) for n in numbers) or \
        not all(places.mentions(words, place) for place in named)


# -- helpers --------------------------------------------------------------------------------
def _threshold(request: Request) -> float:
    value = getattr(request.settings, "abstain_threshold", None)
    return confidence.threshold(getattr(request.settings, "confidence_model", "")) if value is None else float(value)


def _best_article(passages: list[Passage]):
    return max(passages, key=lambda p: p.score).article if passages else None


def _best_cosine(passages: list[Passage]) -> float | None:
    known = [p.dense for p in passages if p.dense is not None]
    return max(known) if known else None
