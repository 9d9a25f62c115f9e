"""Choosing the sentences of an extractive answer from the scored candidates.

- A fact question gets the best sentence, then each next one whose chance of
  holding the answer is worth its words (``score >= cost_per_word × words``,
  the cost fitted with the scorer), never the same point twice.
- «متى»: when the article states the date more exactly in another sentence
  about the same thing, that sentence is added (a day beats a month beats a
  year).
- A broad question («ماذا ناقش…») gets the distinct points of the best
  article, most informative first, within ``POINTS_BUDGET`` words.
- Sources that contradict each other are quoted side by side, each with who
  says it: a denial inside one article («لم يأتِ البيان…»), or the same
  sentence in two articles with other numbers, places or polarity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import reports, rules
from .candidates import Sentence
from .facts import near_duplicate, same_facts
from .features import asks_said, coverage, date_precision
from .question import Question, keys_of, word_keys

DISAGREE_TEXT = "تختلف المصادر:"
FIRST_SIDE, OTHER_SIDE = "بحسب {}:", "أما {}:"
DISAGREE_KINDS = frozenset({"yesno", "what", "other", "count", "when", "who", "where"})
# A denial among the DISAGREE_POOL best sentences, its other side among twice
# as many, sharing DISAGREE_SHARED of the question's (idf-weighted) terms.
DISAGREE_POOL, DISAGREE_SHARED = 4, 0.5
# Words of a broad answer: the seed article's six points take ~150 words;
# 60 hold four of them (the «ماذا ناقش…» test) and read in about 20 seconds.
POINTS_BUDGET = 60
WORD_BUDGET = 70  # no answer is longer, whatever the scorer says
NEW_WORDS = 3  # a further sentence must add this many content words the answer lacks
SAME_TOPIC = 0.5  # share of the best sentence's question terms a more exact date's sentence must have


@dataclass
class Segment:
    sentence: Sentence
    prefix: str = ""
    also: list[Sentence] = field(default_factory=list)  # the same sentence, same facts, in other articles


def choose(asked: Question, ranked: list[Sentence], idf: dict[str, float], cost_per_word: float,
           limit: int, window=None) -> list[Segment]:
    """The answer's segments, from candidates sorted best first; ``window``
    (qa.when.TimeWindow) asks for several reports or the newest one, and
    for quotes dated with their source (qa/reports.py)."""
    if asked.reported:  # «ماذا قالت الرئاسة السورية؟»: what that source said, if any sentence reports it
        ranked = [s for s in ranked if s.features.get("source_named")] or ranked
    timed = window is not None and (window.dated or window.latest or window.several)
    if timed and window.several and limit > 1:
        return several_reports(ranked, limit)
    if timed and window.latest:
        ranked = reports.newest(ranked)
    # «آخر…»: an older report with other figures follows the newest (below), it is no dispute
    sides = disagreement(asked, ranked, idf) if limit > 1 and not (timed and window.latest) else None
    if sides:
        return sides
    if asked.broad and limit > 1:
        chosen = points(ranked, asked)
    else:
        chosen = best(ranked, cost_per_word, limit)
        if asked.kind == "when" and len(chosen) < limit:
            chosen += more_precise_date(chosen, ranked, idf)
    segments = [Segment(s, also=copies(s, ranked)) for s in chosen]
    if timed and window.latest and limit > 1:
        earlier = reports.changed(chosen[0], ranked)
        if earlier is not None and earlier not in chosen:
            segments.append(Segment(earlier, reports.EARLIER_PREFIX.format(reports.label(earlier))))
    if timed or reports.spans_days([s.sentence for s in segments]):
        previous = None
        for segment in segments:  # once per run of quotes from one article
            if not segment.prefix and segment.sentence.article.id != previous:
                segment.prefix = reports.DATED_PREFIX.format(reports.label(segment.sentence))
            previous = segment.sentence.article.id
    return segments


def lead_with(segments: list[Segment], sentence: Sentence | None) -> list[Segment]:
    """The segment quoting ``sentence`` (the short answer's, bold in the
    chat) first: «متى…» then reads the exact day before the sentence that
    only says «أواخر مايو».  Quotes with a prefix (dated reports, the two
    sides of a disagreement) keep their order: it says something."""
    if sentence is None or any(s.prefix for s in segments):
        return segments
    lead = [s for s in segments if s.sentence is sentence]
    return lead + [s for s in segments if s.sentence is not sentence]


def several_reports(ranked: list[Sentence], limit: int) -> list[Segment]:
    """«ماذا قالت الصحف عن…»: one quote per report, newest first, each
    attributed and dated; «تختلف التقارير:» when their facts differ."""
    found, differ = reports.several(ranked, limit)
    segments = [Segment(s, reports.DATED_PREFIX.format(reports.label(s))) for s in found]
    if differ:
        segments[0].prefix = f"{reports.DIFFER_TEXT} {segments[0].prefix}"
    return segments


def best(ranked: list[Sentence], cost_per_word: float, limit: int) -> list[Sentence]:
    chosen = [ranked[0]]
    for sentence in ranked[1:]:
        if len(chosen) >= limit:
            break
        if sentence.score < cost_per_word * sentence.words or not _adds(sentence, chosen):
            continue
        if sum(c.words for c in chosen) + sentence.words <= WORD_BUDGET:
            chosen.append(sentence)
    return chosen


def _adds(sentence: Sentence, chosen: list[Sentence]) -> bool:
    have = frozenset().union(*(c.content for c in chosen))
    return not any(near_duplicate(sentence.content, c.content) for c in chosen) and \
        len(sentence.content - have) >= NEW_WORDS


def more_precise_date(chosen: list[Sentence], ranked: list[Sentence], idf: dict[str, float]) -> list[Sentence]:
    """A sentence of the best one's article that dates the same thing more
    exactly: it has at least SAME_TOPIC of the question terms the best one
    has (the headline's included), and a more exact date."""
    top = chosen[0]
    have = max(date_precision(c.tokens) for c in chosen)
    said = asks_said(idf)
    asked = [word_keys(t) for t in idf if word_keys(t) & (top.match_keys(said) | top.title_keys)]
    for sentence in ranked:
        if sentence.article.id != top.article.id or sentence in chosen or date_precision(sentence.tokens) <= have:
            continue
        shared = sum(1 for k in asked if k & (sentence.match_keys(said) | sentence.title_keys))
        if asked and shared / len(asked) >= SAME_TOPIC and sum(c.words for c in chosen) + sentence.words <= WORD_BUDGET:
            return [sentence]
    return []


def points(ranked: list[Sentence], asked: Question) -> list[Sentence]:
    """The distinct points of the best sentence's article: sentences saying
    what was discussed (a verb of discussing, or the question's terms), most
    new topic words per word first, until POINTS_BUDGET words.  A sentence
    that only says a statement was issued, or that a source did *not* say
    something, is no point."""
    top = ranked[0]
    known = keys_of(asked.terms) | top.title_keys
    same = [s for s in ranked if s.article.id == top.article.id and _is_point(s)]
    # sentences with a verb of discussing, else those sharing the question's terms
    pool = [s for s in same if _discusses(s)] or [s for s in same if s.keys & keys_of(asked.terms)] or [top]
    chosen: list[Sentence] = []
    words = 0
    while True:
        have = known.union(*(topic_keys(c, known) for c in chosen))
        fits = [s for s in pool if s not in chosen and words + s.words <= POINTS_BUDGET]
        gains = [(len(topic_keys(s, have)) / s.words, s.score, s) for s in fits]
        gains = [g for g in gains if g[0] * g[2].words >= NEW_WORDS]
        if not gains:
            break
        pick = max(gains, key=lambda g: g[:2])[2]
        chosen.append(pick)
        words += pick.words
    chosen = chosen or [top]
    return sorted(chosen, key=lambda s: s.index)  # in the article's order: the report reads as written


def _is_point(sentence: Sentence) -> bool:
    return not sentence.features.get("statement_only") and not (sentence.attribution and sentence.attribution.negated)


def _discusses(sentence: Sentence) -> bool:
    bare = {t[1:] if t[:1] in rules.CONJUNCTIONS else t for t in sentence.tokens}
    return bool((bare | set(sentence.tokens)) & rules.POINT_VERBS)


def topic_keys(sentence: Sentence, known: frozenset[str]) -> frozenset[str]:
    """Keys of the sentence's words that name a topic the answer lacks: not
    the question's or headline's, not generic, not a date or a verb of saying."""
    out = set()
    for word in sentence.content:
        keys = word_keys(word)
        bare = word[1:] if word[:1] in rules.CONJUNCTIONS and len(word) > 3 else word
        if keys & known or bare in rules.GENERIC_WORDS or word in rules.GENERIC_WORDS or keys & _NO_TOPIC:
            continue
        out.add(min(keys, key=len) if keys else word)
    return frozenset(out)


_NO_TOPIC = rules.TIME_WORDS | rules.MONTHS.keys() | rules.WEEKDAYS | rules.REPORTING_VERBS | rules.REPORTING_NOUNS \
    | rules.POINT_VERBS | rules.STATEMENT_NOUNS | {rules.SAID}


def copies(sentence: Sentence, ranked: list[Sentence]) -> list[Sentence]:
    """The same sentence, stating the same facts, in other articles: best
    first, one per article."""
    seen = {sentence.article.id}
    out = []
    for other in ranked:
        if other.article.id not in seen and near_duplicate(sentence.content, other.content) \
                and same_facts(sentence.text, other.text):
            seen.add(other.article.id)
            out.append(other)
    return out


# -- disagreement ----------------------------------------------------------------------
def disagreement(asked: Question, ranked: list[Sentence], idf: dict[str, float]) -> list[Segment] | None:
    """Two sides, each attributed, or None when the sources agree."""
    if asked.kind not in DISAGREE_KINDS or asked.reported:
        return None  # «ماذا قالت X؟» asks for one side
    pair = _conflicting_copy(ranked) or _denial(ranked, idf)
    if pair is None:
        return None
    (first, first_label), (other, other_label) = pair
    if reports.spans_days([first, other]):  # across days: each side dated, the newest first
        (first, first_label), (other, other_label) = sorted(
            [(first, _dated(first, first_label)), (other, _dated(other, other_label))],
            key=lambda side: reports.day_of(side[0]), reverse=True)
    return [Segment(first, f"{DISAGREE_TEXT} {FIRST_SIDE.format(first_label)}"),
            Segment(other, OTHER_SIDE.format(other_label))]


def _dated(sentence: Sentence, label: str) -> str:
    day = reports.published_day(sentence.article.published)
    return f"{label} ({reports.day_text(day)})" if day else label


def _conflicting_copy(ranked: list[Sentence]):
    """The best sentence and one from another source alike in words but not
    in facts («قتل خمسة…» / «قتل اثنا عشر…»), labelled by their sources."""
    top = ranked[0]
    for other in ranked[1:2 * DISAGREE_POOL]:
        if other.article.id != top.article.id and near_duplicate(top.content, other.content) \
                and not same_facts(top.text, other.text):
            a, b = _source_label(top), _source_label(other)
            if a != b:
                return (top, a), (other, b)
    return None


def _source_label(sentence: Sentence) -> str:
    if sentence.attribution is not None:
        return sentence.attribution.label
    return sentence.article.source or sentence.article.title or sentence.article.id


def _denial(ranked: list[Sentence], idf: dict[str, float]):
    """A top sentence in which one source denies or omits something, and one
    from a different source sharing most of the question's terms with it."""
    for denial in ranked[:DISAGREE_POOL]:
        if denial.attribution is None or not denial.attribution.negated:
            continue
        for other in ranked[:2 * DISAGREE_POOL]:
            if _opposes(other, denial, idf):
                return (other, other.attribution.label), (denial, denial.attribution.label)
    return None


def _opposes(other: Sentence, denial: Sentence, idf: dict[str, float]) -> bool:
    source = other.attribution
    if other is denial or source is None or source.negated:
        return False
    if source.label == denial.attribution.label or set(source.names) & set(denial.attribution.names):
        return False  # the same source
    said = asks_said(idf)
    return coverage(idf, other.match_keys(said) & denial.match_keys(said)) >= DISAGREE_SHARED

