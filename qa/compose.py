"""The answer composer: a short Arabic answer cut from the retrieved articles.

No language model writes anything.  Every sentence of the retrieved passages
(and the sentence just before and after each) is scored against the question;
the best one to three are quoted word for word, each followed by its citation
marker ``[n]``.  Sources that contradict each other are quoted side by side
with who said what.  When the evidence is weak the composer abstains and names
the nearest articles instead.

    answer = compose(question, passages, embedder=embedder, settings=settings, store=store)
    answer.confidence  # what the abstention threshold is compared with (see confidence.py)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from index import arabic
from index.chunk import Span, split_sentences
from index.documents import Article
from index.settings import ABSTAIN_THRESHOLD

from . import confidence
from .answer import Answer, Citation, Passage, Suggestion
from .question import REPORTING_VERBS, SAID, Question, analyze, answer_cue, has_cue, word_keys

ABSTAIN_TEXT = "لا تتضمن المقالات المخزنة إجابة عن هذا السؤال."
SUGGEST_TEXT = "أقرب المقالات: {}."
DISAGREE_TEXT = "تختلف المصادر:"
FIRST_SIDE, OTHER_SIDE = "بحسب {}:", "أما {}:"

# How much each signal counts in a sentence's score (averaged over the
# signals present: no embedder, no dense part).
WEIGHTS = {"terms": 0.45, "context": 0.15, "dense": 0.25, "retrieval": 0.10, "cue": 0.20}
SUPPORT_WEIGHTS = {"coverage": 0.5, "dense": 0.3, "sentence": 0.2}
# multilingual-e5 cosines bunch up between these; stretch them over 0..1.
COSINE_FLOOR, COSINE_CEIL = 0.76, 0.90
NEIGHBOUR_DISCOUNT = 0.8  # retrieval score of a sentence just outside its passage
# A question word found only in the article's headline half counts: news
# sentences lean on the headline («ويضم المشروع… 85 محطة» is about «قطار الرياض»).
TITLE_SHARE = 0.5
EMBED_TOP = 6  # sentences given a cosine (stored vectors; live when missing). All: +0.003 gold; 4: -0.009
NUMBER_NEAR = 2  # «كم محطة»: a number this close to an asked word is the answer
MIN_WORDS = 4  # shorter "sentences" are headings and credits
LONG_WORDS, LONG_PENALTY = 35, 0.003  # per word past LONG_WORDS: answers must stay short
ADD_RATIO = 0.85  # a 2nd/3rd sentence must score this close to the best ...
NEW_WORDS = 3  # ... and add this many content words the answer lacks
WORD_BUDGET = 70
DUPLICATE_JACCARD = 0.6  # content-word overlap that makes two sentences "the same"
DISAGREE_KINDS = frozenset({"yesno", "what", "other"})
# A denial must score within DISAGREE_RATIO of the best sentence, the other
# side within DISAGREE_PARTNER, and the two share this much of the question.
DISAGREE_RATIO, DISAGREE_PARTNER, DISAGREE_POOL, DISAGREE_SHARED = 0.7, 0.6, 4, 0.5

# -- attribution rules (normalised spelling) ---------------------------------------
# Words that introduce who is speaking: «ذكرت الرئاسة…», «بحسب البيان…».
ATTRIBUTION_WORDS = REPORTING_VERBS | frozenset("بحسب حسب وفقا وفق طبقا نقلا بيان البيان".split())
SKIPPED_AFTER_TRIGGER = frozenset({"الصادر", "الصادره", "عن", "ما", "به", "بها", "العديد", "للعديد", "من"})
# A source named only by these is resolved from the sentences before it.
GENERIC_SOURCES = frozenset("""
البيان بيان بيانا المصدر المصادر الوكاله الجانب الطرف التقرير
""".split())
PHRASE_STOPS = arabic.STOPWORDS | frozenset("ان انه انها فان اليوم امس خلال الي بان".split())
# «لم يأتِ/لم يذكر…» after a source, or a denial: the sentence contradicts another.
NEGATED_VERBS = frozenset("""
يات ياتي تات تاتي يذكر تذكر يشر تشر يتطرق تتطرق يتضمن تتضمن يتحدث تتحدث يرد ترد يعلن
تعلن يوضح توضح يوكد توكد يشير تشير
""".split())
DENIAL_WORDS = frozenset("نفي نفت ينفي تنفي خلافا بخلاف عكس تجاهل تجاهلت اغفل اغفلت".split())
RESOLVE_BACK = 6  # sentences to look back for the source a bare «البيان» means
QUOTES = "“”«»\"„"
_TOKEN = re.compile(r"[^\s\u060C,.:;\u061B!?\u061F()\[\]«»“”\"„/]+")
_BREAK = re.compile(r"[\u060C,.:;\u061B!?\u061F]")


@dataclass(frozen=True)
class Attribution:
    label: str  # who says it, in the article's spelling: «بيان الكرملين»
    words: frozenset[str]  # normalised words of the source name
    negated: bool  # the sentence says the source did not say something


@dataclass
class Sentence:
    """One candidate sentence: ``article.text[start:end]``."""

    article: Article
    start: int
    end: int
    chunk_id: str
    retrieval: float
    tokens: list[str]  # normalised words
    content: frozenset[str]  # normalised content words
    keys: frozenset[str]  # what its content words match under
    attribution: Attribution | None = None
    title_keys: frozenset[str] = frozenset()  # its article's headline words
    cosine: float | None = None
    coverage: float = 0.0
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.article.text[self.start:self.end]


@dataclass
class ComposedAnswer(Answer):
    """An ``Answer`` that also reports how sure the composer was."""

    confidence: float = 0.0
    kind: str = "other"
    evidence: dict[str, float] = field(default_factory=dict)  # what the confidence was computed from


@dataclass
class _Segment:
    sentence: Sentence
    prefix: str = ""
    also: list[Sentence] = field(default_factory=list)  # the same sentence in other articles


# -- the orchestrator -------------------------------------------------------------
def compose(question: str, passages: list[Passage], embedder=None, settings=None,
            context_terms: list[str] | None = None, store=None) -> ComposedAnswer:
    """Answer ``question`` from ``passages`` by quoting their sentences, or abstain.

    ``store`` (the ``index.store.Store`` the passages came from) lends the
    BM25 idf of the question's terms to the confidence and the sentence
    vectors embedded at ingest; without it, terms weigh alike and sentences
    are embedded here."""
    asked = analyze(question)
    sentences = candidates(passages)
    terms = asked.terms or tuple(context_terms or ())
    if not sentences or not terms:
        return _abstain(question, asked, passages, 0.0, {})
    weights = _idf(terms, sentences)
    score_sentences(asked, terms, sentences, weights, embedder, _context(context_terms, asked), store)
    ranked = sorted(sentences, key=lambda s: -s.score)
    segments = _select(asked, ranked, weights, _max_sentences(settings))
    chosen = [seg.sentence for seg in segments]
    titles = frozenset().union(*(c.title_keys for c in chosen))
    evidence = {
        "support": support(_coverage(weights, _union_keys(chosen), titles), ranked[0].cosine, ranked[0].score),
        "article_coverage": confidence.article_coverage(question, max(passages, key=lambda p: p.score).article,
                                                        store.idf if store is not None else None),
        "dense": _best_cosine(question, passages, embedder),
    }
    sure = confidence.probability(evidence)
    if sure < _threshold(settings):
        return _abstain(question, asked, passages, sure, evidence)
    return _render(question, asked, segments, passages, sure, evidence)


def compose_stream(question: str, passages: list[Passage], embedder=None, settings=None,
                   context_terms: list[str] | None = None, store=None) -> Iterator[str | ComposedAnswer]:
    """Yield the answer text as it grows, a few words at a time, then the Answer."""
    answer = compose(question, passages, embedder, settings, context_terms, store)
    yield from _growing(answer.text)
    yield answer


def support(coverage: float, cosine: float | None, sentence_score: float) -> float:
    """How well the chosen sentences answer the question, from 0 to 1: the
    idf-weighted share of the question's content words found in them, the
    embedding similarity of the best one (stretched, see COSINE_FLOOR) and
    its score.  Without an embedder the other two share its weight."""
    parts = {"coverage": coverage, "sentence": sentence_score}
    if cosine is not None:
        parts["dense"] = _stretch(cosine)
    total = sum(SUPPORT_WEIGHTS[k] for k in parts)
    return float(sum(SUPPORT_WEIGHTS[k] * v for k, v in parts.items()) / total)


def _threshold(settings) -> float:
    """``Settings.abstain_threshold``; a negative value never abstains (what a
    calibration run wants)."""
    return float(getattr(settings, "abstain_threshold", ABSTAIN_THRESHOLD))


def _max_sentences(settings) -> int:
    return max(1, int(getattr(settings, "max_answer_sentences", 3) if settings is not None else 3))


# -- candidates ---------------------------------------------------------------------
def candidates(passages: list[Passage]) -> list[Sentence]:
    """Every sentence of the passages plus one either side, once each, with the
    best (normalised) retrieval score of a passage that holds or touches it."""
    top = max((p.score for p in passages), default=0.0)
    spans_of: dict[str, list[Span]] = {}
    best: dict[tuple[str, int], tuple[float, Passage, int]] = {}
    for passage in passages:
        spans = spans_of.setdefault(passage.article.id, split_sentences(passage.article.text))
        share = min(1.0, max(0.0, passage.score / top)) if top > 0 else 1.0
        for index, weight in _around(spans, passage, share):
            key = (passage.article.id, spans[index].start)
            if key not in best or best[key][0] < weight:
                best[key] = (weight, passage, index)
    found = [_sentence(p, spans_of[p.article.id], i, w) for w, p, i in best.values()]
    return [s for s in found if len(s.tokens) >= MIN_WORDS]


def _around(spans: list[Span], passage: Passage, share: float) -> list[tuple[int, float]]:
    inside = [i for i, s in enumerate(spans) if s.start < passage.end and s.end > passage.start]
    if not inside:
        return []
    first, last = inside[0], inside[-1]
    out = [(i, share) for i in inside]
    out += [(i, share * NEIGHBOUR_DISCOUNT) for i in (first - 1, last + 1) if 0 <= i < len(spans)]
    return out


def _sentence(passage: Passage, spans: list[Span], index: int, retrieval: float) -> Sentence:
    span = spans[index]
    text = passage.article.text[span.start:span.end]
    tokens = arabic.words(text)
    content = [t for t in tokens if t not in arabic.STOPWORDS and (len(t) > 1 or t.isdigit())]
    keys = set(arabic.stem_words(content)) if content else set()
    for word in content:
        keys |= word_keys(word)
    source = attribution(passage.article.text, spans, index)
    if source is not None:
        keys.add(SAID)  # it reports what someone said, even without a verb («ولم يأتِ البيان…»)
    return Sentence(passage.article, span.start, span.end, passage.chunk_id, retrieval, tokens,
                    frozenset(content), frozenset(keys), source, _title_keys(passage.article))


def _title_keys(article: Article) -> frozenset[str]:
    words_ = [w for w in arabic.words(article.title or "") if w not in arabic.STOPWORDS]
    return frozenset().union(*(word_keys(w) for w in words_)) if words_ else frozenset()


# -- scoring --------------------------------------------------------------------------
def score_sentences(asked: Question, terms, sentences: list[Sentence], idf: dict[str, float],
                    embedder=None, context: dict[str, float] | None = None, store=None) -> None:
    """Fill each sentence's ``coverage``, ``cosine`` and ``score`` (0..1).

    Only the EMBED_TOP best sentences by the other signals get a cosine (their
    vectors come from the store, or are embedded here); the rest score 0 there."""
    parts_of = [_lexical_parts(asked, terms, sentence, idf, context) for sentence in sentences]
    if embedder is not None:
        lexical = [_weighted(parts) for parts in parts_of]
        top = sorted(range(len(sentences)), key=lambda i: -lexical[i])[:EMBED_TOP]
        cosines = _cosines(asked.text, [sentences[i] for i in top], embedder, store)
        for i in range(len(sentences)):
            parts_of[i]["dense"] = 0.0
        for i, cosine in zip(top, cosines):
            sentences[i].cosine = cosine
            parts_of[i]["dense"] = _stretch(cosine)
    for sentence, parts in zip(sentences, parts_of):
        penalty = LONG_PENALTY * max(0, len(sentence.tokens) - LONG_WORDS)
        sentence.score = max(0.0, _weighted(parts) - penalty)


def _lexical_parts(asked: Question, terms, sentence: Sentence, idf, context) -> dict[str, float]:
    sentence.coverage = _coverage(idf, sentence.keys, sentence.title_keys)
    parts = {"terms": sentence.coverage, "retrieval": sentence.retrieval}
    if context:
        parts["context"] = _coverage(context, sentence.keys)
    if has_cue(asked.kind) or asked.reported:
        parts["cue"] = _cue(asked, terms, sentence)
    return parts


def _weighted(parts: dict[str, float]) -> float:
    return sum(WEIGHTS[k] * v for k, v in parts.items()) / sum(WEIGHTS[k] for k in parts)


def _idf(terms, sentences: list[Sentence]) -> dict[str, float]:
    """BM25-style idf of each question term over the candidate sentences; a term
    no sentence has keeps the highest weight, so missing it costs coverage."""
    n = len(sentences)
    idf = {}
    for term in terms:
        keys = word_keys(term)
        df = sum(1 for s in sentences if keys & s.keys)
        idf[term] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
    return idf


def _coverage(weights: dict[str, float], keys: frozenset[str], title_keys: frozenset[str] = frozenset()) -> float:
    """Weighted share of the terms a sentence has; a term only in its
    article's headline counts TITLE_SHARE."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    found = 0.0
    for term, weight in weights.items():
        term_keys = word_keys(term)
        found += weight if term_keys & keys else weight * TITLE_SHARE if term_keys & title_keys else 0.0
    return found / total


def _context(context_terms, asked: Question) -> dict[str, float]:
    """Earlier turns' terms not already in the question, all weighted alike."""
    own = set().union(*(word_keys(t) for t in asked.terms)) if asked.terms else set()
    kept = [t for t in context_terms or () if len(t) >= 3 and not (word_keys(t) & own)]
    return {t: 1.0 for t in dict.fromkeys(kept)} if asked.terms else {}


def _cosines(question: str, sentences: list[Sentence], embedder, store=None) -> list[float | None]:
    if embedder is None:
        return [None] * len(sentences)
    query = embedder.embed_query([question])[0]
    keys = [(s.article.id, s.text) for s in sentences]
    vectors = store.sentence_vectors(keys) if store is not None else {}
    live = [s for s in sentences if (s.article.id, s.text) not in vectors]
    if live:
        vectors.update(zip([(s.article.id, s.text) for s in live], embedder.embed_passages([s.text for s in live])))
    return [float(vectors[(s.article.id, s.text)] @ query) for s in sentences]


def _best_cosine(question: str, passages: list[Passage], embedder, top: int = 3) -> float | None:
    """The best question-passage cosine retrieval measured; passages handed in
    without one (built by a caller, not by the retriever) are embedded here."""
    known = [p.dense for p in passages if p.dense is not None]
    if known:
        return max(known)
    if embedder is None or not passages:
        return None
    best = sorted(passages, key=lambda p: -p.score)[:top]
    return float(np.max(embedder.embed_passages([p.text for p in best]) @ embedder.embed_query([question])[0]))


def _stretch(cosine: float) -> float:
    return float(min(1.0, max(0.0, (cosine - COSINE_FLOOR) / (COSINE_CEIL - COSINE_FLOOR))))


def _cue(asked: Question, terms, sentence: Sentence) -> float:
    """The answer-kind cue, or for «ماذا قالت X؟» whether X is the sentence's source."""
    cue = answer_cue(asked.kind, sentence.tokens)
    if asked.kind == "count" and cue:
        cue = 1.0 if _number_near(terms, sentence.tokens) else 0.6
    source = sentence.attribution
    if asked.reported and source is not None:
        named = any(word_keys(t) & _keys_of(source.words) for t in terms)
        cue = max(cue, 1.0 if named else 0.3)
    return cue


def _number_near(terms, tokens: list[str]) -> bool:
    """A number within NUMBER_NEAR words of an asked word: «و85 محطة»."""
    asked = frozenset().union(*(word_keys(t) for t in terms)) if terms else frozenset()
    numbers = [i for i, t in enumerate(tokens) if any(c.isdigit() for c in t)]
    return any(word_keys(tokens[j]) & asked for i in numbers
               for j in range(max(0, i - NUMBER_NEAR), min(len(tokens), i + NUMBER_NEAR + 1)) if j != i)


def _keys_of(words_: frozenset[str]) -> frozenset[str]:
    return frozenset().union(*(word_keys(w) for w in words_)) if words_ else frozenset()


# -- attribution ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Token:
    norm: str
    start: int
    end: int


def attribution(text: str, spans: list[Span], index: int) -> Attribution | None:
    """Who the sentence ``spans[index]`` reports, if it says: the first source
    it names, or for a bare «البيان»/«أوضح» the nearest named one before it."""
    span = spans[index]
    tokens = _tokens(text, span)
    found = _named_source(text, tokens)
    if found is None:
        return None
    label, words_ = found
    negated = _negated(tokens)
    if not words_ or words_ <= GENERIC_SOURCES:
        label, words_ = _resolve(text, spans, index)
        if not words_:
            return None
    statement = _is_statement(text, spans, index, tokens)
    if statement and not label.startswith("بيان"):
        label = f"بيان {label}"
    return Attribution(label, words_, negated)


def _tokens(text: str, span: Span) -> list[_Token]:
    out = []
    for match in _TOKEN.finditer(text, span.start, span.end):
        norm = "".join(arabic.words(match.group()))
        if norm:
            out.append(_Token(norm, match.start(), match.end()))
    return out


def _bare(norm: str) -> str:
    return norm[1:] if norm[:1] in ("و", "ف") and norm[1:] in ATTRIBUTION_WORDS else norm


def _named_source(text: str, tokens: list[_Token]) -> tuple[str, frozenset[str]] | None:
    """The phrase after the first attribution word; None if there is none."""
    for i, token in enumerate(tokens):
        if _bare(token.norm) in ATTRIBUTION_WORDS:
            phrase = _phrase(text, tokens, i + 1)
            if phrase and _bare(phrase[0].norm) in ATTRIBUTION_WORDS - GENERIC_SOURCES:
                continue  # «حسب ما أعلن رئيس…»: the next trigger names the source
            return _label(text, phrase)
    return None


def _phrase(text: str, tokens: list[_Token], i: int) -> list[_Token]:
    """Up to three words naming a source, from ``tokens[i]``; a quoted name right
    after them («الرئاسة الروسية “الكرملين”») is taken instead."""
    while i < len(tokens) and tokens[i].norm in SKIPPED_AFTER_TRIGGER:
        i += 1
    phrase: list[_Token] = []
    while i < len(tokens) and len(phrase) < 3 and tokens[i].norm not in PHRASE_STOPS:
        phrase.append(tokens[i])
        gap = text[tokens[i].end:tokens[i + 1].start] if i + 1 < len(tokens) else ""
        i += 1
        if _BREAK.search(gap):
            break
        if any(q in gap for q in QUOTES) and not _opens_quote(text, phrase[0]):
            return _with_quoted(phrase, _quoted_run(text, tokens, i))
    return phrase


def _with_quoted(phrase: list[_Token], quoted: list[_Token]) -> list[_Token]:
    """«إدارة “بايدن”» (a construct: no article) reads on into the quoted name;
    «الرئاسة الروسية “الكرملين”» (an apposition) is named by it."""
    if not quoted:
        return phrase
    return quoted if phrase[-1].norm.startswith("ال") else phrase + quoted


def _opens_quote(text: str, token: _Token) -> bool:
    return token.start > 0 and text[token.start - 1] in QUOTES


def _quoted_run(text: str, tokens: list[_Token], i: int) -> list[_Token]:
    run = []
    while i < len(tokens) and len(run) < 3:
        run.append(tokens[i])
        after = text[tokens[i].end:tokens[i].end + 1]
        i += 1
        if after and after in QUOTES:
            return run
    return []


def _label(text: str, phrase: list[_Token]) -> tuple[str, frozenset[str]]:
    if not phrase:
        return "", frozenset()
    raw = text[phrase[0].start:phrase[-1].end]
    label = " ".join(raw.translate({ord(q): " " for q in QUOTES}).split())
    return label, frozenset(t.norm for t in phrase)


def _resolve(text: str, spans: list[Span], index: int) -> tuple[str, frozenset[str]]:
    for back in range(index - 1, max(-1, index - 1 - RESOLVE_BACK), -1):
        found = _named_source(text, _tokens(text, spans[back]))
        if found and found[1] and not found[1] <= GENERIC_SOURCES:
            return found
    return "", frozenset()


def _negated(tokens: list[_Token]) -> bool:
    norms = [t.norm[1:] if t.norm in ("ولم", "فلم") else t.norm for t in tokens]
    if any(n in DENIAL_WORDS or (n[:1] in "وف" and n[1:] in DENIAL_WORDS) for n in norms):
        return True
    return any(a == "لم" and b in NEGATED_VERBS for a, b in zip(norms, norms[1:]))


def _is_statement(text: str, spans: list[Span], index: int, tokens: list[_Token]) -> bool:
    """Whether the source spoke through a statement («بيان»), in this sentence
    or in the one that named the source."""
    def mentions(toks):
        return any("بيان" in word_keys(t.norm) for t in toks)
    if mentions(tokens):
        return True
    return index > 0 and mentions(_tokens(text, spans[index - 1]))


# -- choosing sentences -------------------------------------------------------------------
def _select(asked: Question, ranked: list[Sentence], idf: dict[str, float], limit: int) -> list[_Segment]:
    sides = _disagreement(asked, ranked, idf) if limit > 1 else None
    chosen = list(sides) if sides else _best(ranked, limit)
    segments = [_Segment(s, also=_copies(s, ranked)) for s in chosen]
    if sides:
        segments[0].prefix = f"{DISAGREE_TEXT} {FIRST_SIDE.format(sides[0].attribution.label)}"
        segments[1].prefix = OTHER_SIDE.format(sides[1].attribution.label)
    return segments


def _best(ranked: list[Sentence], limit: int) -> list[Sentence]:
    """The best sentence, then up to ``limit - 1`` that score close to it and add
    words the answer lacks, within the word budget."""
    chosen = [ranked[0]]
    for sentence in ranked[1:]:
        if len(chosen) >= limit or sentence.score < ADD_RATIO * ranked[0].score:
            break
        have = frozenset().union(*(c.content for c in chosen))
        if any(_same(sentence, c) for c in chosen) or len(sentence.content - have) < NEW_WORDS:
            continue
        if sum(len(c.tokens) for c in chosen) + len(sentence.tokens) <= WORD_BUDGET:
            chosen.append(sentence)
    return chosen


def _same(a: Sentence, b: Sentence) -> bool:
    union = a.content | b.content
    return bool(union) and len(a.content & b.content) / len(union) >= DUPLICATE_JACCARD


def _copies(sentence: Sentence, ranked: list[Sentence]) -> list[Sentence]:
    """The same sentence in other articles, best first, one per article."""
    seen = {sentence.article.id}
    out = []
    for other in ranked:
        if other.article.id not in seen and _same(sentence, other):
            seen.add(other.article.id)
            out.append(other)
    return out


def _disagreement(asked: Question, ranked: list[Sentence], idf: dict[str, float]):
    """A (says, denies) pair: a top sentence in which one source denies or omits
    something, and a close one from a different source that shares most of
    the question's terms with it.  None when the sources agree."""
    if asked.kind not in DISAGREE_KINDS or asked.reported:
        return None  # «ماذا قالت X؟» asks for one side
    best = ranked[0].score
    denials = [s for s in ranked[:DISAGREE_POOL] if s.score >= DISAGREE_RATIO * best]
    partners = [s for s in ranked[:2 * DISAGREE_POOL] if s.score >= DISAGREE_PARTNER * best]
    for denial in denials:
        if denial.attribution is None or not denial.attribution.negated:
            continue
        for other in partners:
            if _opposes(other, denial, idf):
                return other, denial
    return None


def _opposes(other: Sentence, denial: Sentence, idf: dict[str, float]) -> bool:
    source = other.attribution
    if other is denial or source is None or source.negated:
        return False
    if source.words & denial.attribution.words:
        return False
    return _coverage(idf, other.keys & denial.keys) >= DISAGREE_SHARED


def _union_keys(sentences: list[Sentence]) -> frozenset[str]:
    return frozenset().union(*(s.keys for s in sentences))


# -- the answer -------------------------------------------------------------------------------
def _render(question: str, asked: Question, segments: list[_Segment], passages: list[Passage],
            sure: float, evidence: dict[str, float]) -> ComposedAnswer:
    citations: dict[tuple[str, int], Citation] = {}
    pieces = []
    for segment in segments:
        numbers = [_cite(citations, s).n for s in [segment.sentence, *segment.also]]
        markers = "".join(f"[{n}]" for n in numbers)
        body = f"{segment.prefix} {segment.sentence.text}".strip()
        pieces.append(f"{body} {markers}")
    return ComposedAnswer(question, " ".join(pieces), False, list(citations.values()), [], list(passages),
                          confidence=sure, kind=asked.kind, evidence=evidence)


def _cite(citations: dict, sentence: Sentence) -> Citation:
    key = (sentence.article.id, sentence.start)
    if key not in citations:
        a = sentence.article
        citations[key] = Citation(len(citations) + 1, a.id, a.title, a.source, a.url, a.published,
                                  sentence.text, sentence.chunk_id, sentence.score, sentence.start, sentence.end)
    return citations[key]


def _abstain(question: str, asked: Question, passages: list[Passage], sure: float,
             evidence: dict[str, float]) -> ComposedAnswer:
    suggestions = suggest(passages)
    titles = "، ".join(f"«{s.title or s.article_id}»" for s in suggestions)
    text = f"{ABSTAIN_TEXT} {SUGGEST_TEXT.format(titles)}" if suggestions else ABSTAIN_TEXT
    return ComposedAnswer(question, text, True, [], suggestions, list(passages), confidence=sure, kind=asked.kind,
                          evidence=evidence)


def suggest(passages: list[Passage], limit: int = 3) -> list[Suggestion]:
    """The articles of the best passages, once each, best first."""
    seen, out = set(), []
    for passage in sorted(passages, key=lambda p: -p.score):
        a = passage.article
        if a.id not in seen:
            seen.add(a.id)
            out.append(Suggestion(a.id, a.title, a.source, a.url, a.published))
    return out[:limit]


def _growing(text: str, step: int = 3) -> Iterator[str]:
    """Ever longer prefixes of ``text``, cut after every ``step`` words."""
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    for i in range(step - 1, len(ends), step):
        yield text[:ends[i]]
    if ends and (len(ends) % step):
        yield text
