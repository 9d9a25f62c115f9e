"""The short answer inside a quoted sentence: the date for «متى», the
number with its unit for «كم», the named person or body for «من», the
place for «أين».  Always a slice of the quoted sentence, in its own
spelling («26 من شهر أيار/ مايو»), or None.

    found = short_answer("when", sentences)   # (text, sentence) or None
"""

from __future__ import annotations

from index import arabic
from index.chunk import Span

from . import rules
from .attribution import Token
from .candidates import Sentence
from .question import is_day, is_month, is_year, keys_of, word_keys
from .short_number import is_number, number
from .short_tokens import asked_flags, clauses_of, distance, runs, sentence_tokens

DATE_FILLERS = frozenset({"من", "شهر", "الشهر", "عام", "العام", "سنه"})  # «26 من شهر أيار»
YEAR_FILLERS = frozenset({"عام", "العام", "سنه", "السنه"})  # «عام 2015»
YEAR_WORDS = keys_of(YEAR_FILLERS)  # in a question, they ask for a year: «في أي عام…؟»
ERA_MARKS = frozenset({"م", "ه"})  # glued to a year: «1453م»، «150ه»
ERA_WORDS = frozenset({"ه", "هـ"})  # standing after it: «150 هـ»
DATE_TAILS = frozenset({"القادم", "المقبل", "الماضي", "الجاري",
                        "الاول", "الثاني"})  # «تشرين الثاني»، «كانون الأول»: a two-word month
NAME_TOKENS = 3  # words after a title that name the person («رئيس مجلس الشعب»)
IN_AFTER = 3  # «أين»: «في» this close after the asked words introduces the place
QUOTED_TOKENS = 5
REPORTING_KEYS = keys_of(rules.REPORTING_VERBS)
AGENT_MARKERS = (("بواسطه",), ("من", "قبل"), ("علي", "يد"), ("بقياده",))  # «بواسطة»، «من قبل»، «على يد»، «بقيادة»


def short_answer(kind: str, sentences: list[Sentence], asked_keys: frozenset[str] = frozenset()):
    """(text, sentence) of the short answer, or None."""
    if kind == "when":
        return _best_date(sentences, asked_keys)
    find = _FINDERS.get(kind)
    if find is None:
        return None
    broad = None  # a continent, kept in case a later sentence names a country or city
    for sentence in sentences:
        text = sentence.article.text
        span = kind == "who" and _reported(sentence, asked_keys)
        if not span:
            tokens = sentence_tokens(text, Span(sentence.start, sentence.end))
            span = find(text, tokens, asked_keys, clauses_of(text, tokens))
        if span is not None:
            found = text[span[0]:span[1]], sentence
            if broad is None and not (kind == "where" and _names(found[0], rules.BROAD_PLACES)):
                return found
            if broad is None:
                broad = found
            elif _names(found[0], rules.SPECIFIC_PLACES):
                return found  # a country or city after the continent
    return broad


def _names(place: str, words: frozenset[str]) -> bool:
    return any(word_keys(word) & words for word in arabic.normalize(place).split())


def _best_date(sentences: list[Sentence], asked_keys):
    """(text, sentence) of the best-ranked date of all the quoted sentences
    (see ``dates``): the first sentence on ties."""
    best = None
    for n, sentence in enumerate(sentences):
        text = sentence.article.text
        tokens = sentence_tokens(text, Span(sentence.start, sentence.end))
        for rank, (start, end) in dates(tokens, asked_keys, clauses_of(text, tokens)):
            key = (*rank[:-1], -n, rank[-1])
            if best is None or key > best[0]:
                best = (key, text[start:end], sentence)
    return best[1:] if best else None


def dates(tokens: list[Token], asked_keys, clauses) -> list[tuple[tuple, tuple[int, int]]]:
    """(rank, span) of each date of one sentence: [weekday] [day] [من شهر]
    month [/ month] [year], or a year («1453م»، «عام 150 هـ»).  A sentence
    sharing an asked word ranks first; then the more exact date (a day beats
    a month beats a year; for «في أي عام…؟» any date with its year is exact
    enough), then the one whose clause shares more asked words (a birth date
    is no answer to «في أي عام توفي…»), then the sentence sharing more, then
    the earlier."""
    asked = asked_flags(tokens, asked_keys)
    year_asked = bool(asked_keys & YEAR_WORDS)
    out = []
    for i, token in enumerate(tokens):
        if is_month(token.norm):
            first, last = _expand_date(tokens, i, clauses)
            level = 3 if any(is_day(t.norm) for t in tokens[first:last + 1]) else 2
            if first == last and _glued_month(token.norm):
                continue
        elif _is_year(tokens, i) and not (i and is_month(tokens[i - 1].norm) and clauses[i - 1] == clauses[i]):
            first = i - 1 if i and tokens[i - 1].norm in YEAR_FILLERS and clauses[i - 1] == clauses[i] else i  # «عام 2015»
            last = i + 1 if i + 1 < len(tokens) and tokens[i + 1].norm in ERA_WORDS else i
            level = 1
        else:
            continue
        outside = [j for j in range(len(tokens)) if asked[j] and not first <= j <= last]
        in_clause = sum(1 for j in outside if clauses[j] == clauses[i])
        if year_asked:  # «في أي عام…؟»: a date with its year is exact enough, one without is none
            level = int(any(_is_year(tokens, j) for j in range(first, last + 1)))
        out.append(((bool(outside), level, in_clause, len(outside), -i), (tokens[first].start, tokens[last].end)))
    return out


def _is_year(tokens: list[Token], i: int) -> bool:
    norm = tokens[i].norm
    if is_year(norm):
        return True
    bare = norm[:-1] if norm[-1:] in ERA_MARKS else norm  # «1453م»
    marked = bare != norm or i + 1 < len(tokens) and tokens[i + 1].norm in ERA_WORDS  # «150 هـ» (not «100 م», metres)
    return marked and bare.isdigit() and 1 <= len(bare) <= 4


def _expand_date(tokens: list[Token], i: int, clauses) -> tuple[int, int]:
    first = i
    while first > 0 and clauses[first - 1] == clauses[i] and i - first < 4 and (
            tokens[first - 1].norm in DATE_FILLERS or tokens[first - 1].norm.isdigit()
            or word_keys(tokens[first - 1].norm) & rules.WEEKDAYS):
        first -= 1
    while first < i and tokens[first].norm in DATE_FILLERS:
        first += 1  # a date does not start with «من»
    last = i
    while last + 1 < len(tokens) and last - i < 4 and clauses[last + 1] == clauses[i]:
        j, norm = last + 1, tokens[last + 1].norm
        if is_month(norm) or _is_year(tokens, j) or norm in DATE_TAILS or (norm in ERA_WORDS and _is_year(tokens, last)):
            last = j  # «13 مارس 624م»، «أيار/ مايو القادم»
        elif norm in YEAR_FILLERS and j + 1 < len(tokens) and clauses[j + 1] == clauses[i] and _is_year(tokens, j + 1):
            last = j + 1  # «15 آذار عام 2011»
        else:
            break
    return first, last


def _glued_month(norm: str) -> bool:
    """A month word behind a conjunction («ونيسان»): a date only with another
    date word beside it (a day, a year, a month, «الماضي»); alone it is as
    likely a name («هوندا وتويوتا ونيسان»)."""
    return norm[:1] in rules.CONJUNCTIONS and norm[1:] in rules.MONTHS


def _who(text: str, tokens: list[Token], asked_keys, clauses) -> tuple[int, int] | None:
    """Anchored on the asked words: a quoted name right after an asked title
    («رئيس مجلس الشعب التابع للنظام “حمودة الصباغ”»), else the doer named
    after an agent marker.  A bare title or the words next to one are no
    answer: on XQuAD-ar and ARCD-train they held the gold in 2 of 31 cases
    (``python -m bench --condition quality-hybrid``, short_precision)."""
    asked = asked_flags(tokens, asked_keys)
    for first, last in runs(asked, clauses):
        if word_keys(tokens[first].norm) & rules.PERSON_WORDS:  # a title heads its phrase, not «انتخابات الرئاسة»
            quoted = _quoted_after(text, tokens, clauses, last)
            if quoted is not None:
                return _phrase(tokens, asked, clauses, quoted[0], stop=quoted[1], quoted=True)
    return _agent(tokens, asked, clauses)


def _reported(sentence: Sentence, asked_keys) -> tuple[int, int] | None:
    """«من أعلن…؟»، «من قال…؟»: who the sentence reports (qa/attribution.py),
    when its name is spelled out in the sentence."""
    if not asked_keys & REPORTING_KEYS or sentence.attribution is None:
        return None
    label = sentence.attribution.label
    for name in (label, label.removeprefix("بيان ")):  # «بيان رئيس مجلس الشعب»: the label names the statement
        at = sentence.article.text.find(name, sentence.start, sentence.end)
        if at >= 0:
            return at, at + len(name)
    return None


def _agent(tokens: list[Token], asked, clauses) -> tuple[int, int] | None:
    """Who did what the question asks, named after an agent marker right
    behind the asked words: «تنقيح الدستور بواسطة برلمان فيكتوريا»,
    «اختطافها من قبل المركيتيين».  Without one, word order alone does not
    tell the doer from the done-to: no short answer."""
    for first, last in runs(asked, clauses):
        for marker in AGENT_MARKERS:
            j = last + 1 + len(marker)
            if j < len(tokens) and clauses[j] == clauses[last] and \
                    tuple(t.norm for t in tokens[last + 1:j]) == marker:
                return _phrase(tokens, asked, clauses, j)
    return None


def _quoted_after(text: str, tokens: list[Token], clauses, last: int) -> tuple[int, int] | None:
    """(first word, the word after the last) of a quoted name opening within
    NAME_TOKENS words after token ``last``, in its clause: «رئيس مجلس الشعب
    التابع للنظام “حمودة الصباغ”»; it ends at the next quote mark."""
    def quote_before(j: int) -> bool:
        return any(c in rules.QUOTE_MARKS for c in text[tokens[j - 1].end:tokens[j].start])

    for j in range(last + 1, min(len(tokens), last + 2 + NAME_TOKENS)):
        if clauses[j] != clauses[last]:
            return None
        if quote_before(j):
            end = next((k for k in range(j + 1, len(tokens)) if quote_before(k)), len(tokens))
            return j, end
    return None


def _phrase(tokens: list[Token], asked, clauses, start: int | None, stop: int | None = None,
            size: int = NAME_TOKENS, quoted: bool = False) -> tuple[int, int] | None:
    """Up to ``size`` words from ``start``, inside its clause, stopping at a
    stop word, an asked word or ``stop``; a quoted name is taken whole (up
    to QUOTED_TOKENS words).  None when there is none."""
    if start is None or start >= len(tokens):
        return None
    size = QUOTED_TOKENS if quoted else size
    end = start
    while (end < len(tokens) and end - start < size and end != stop and clauses[end] == clauses[start]
           and not asked[end] and (quoted or not _ends_name(tokens[end].norm))):
        end += 1
    return (tokens[start].start, tokens[end - 1].end) if end > start else None


def _ends_name(norm: str) -> bool:
    """A word no name or title runs into: a stop word, a number, a date word."""
    return norm in arabic.STOPWORDS or norm in DATE_FILLERS or is_number(norm) or is_month(norm)


def _is_place(norm: str) -> bool:
    """A place word, not the adjective made from it («مصري» is not «مصر»)."""
    found = word_keys(norm) & rules.PLACE_WORDS
    return bool(found) and not (norm.endswith(("ي", "يه")) and not any(p.endswith(("ي", "يه")) for p in found))


def _where(text: str, tokens: list[Token], asked_keys, clauses) -> tuple[int, int] | None:
    """The place nearest an asked word of its clause (a continent only when
    no country or city is named there), with the word after it
    when a kind of place is named («مدينة الحلة», «جنوب بغداد»); else what
    follows «في» just after the asked words («ولد في …»)."""
    asked = asked_flags(tokens, asked_keys)
    places = [(far, i) for i, t in enumerate(tokens) if _is_place(t.norm) and not asked[i]
              and (far := distance(i, asked, clauses)) is not None]
    named = [p for p in places if word_keys(tokens[p[1]].norm) & rules.SPECIFIC_PLACES]
    if named and any(word_keys(tokens[i].norm) & rules.BROAD_PLACES for _, i in places):
        places = named  # a country or city by name before a continent
    if places:
        i = min(places)[1]
        named = word_keys(tokens[i].norm) & rules.PLACE_KINDS and i + 1 < len(tokens)
        last = i + 1 if (named and clauses[i + 1] == clauses[i] and not asked[i + 1]
                         and not _ends_name(tokens[i + 1].norm)
                         and not tokens[i + 1].norm.startswith(rules.CLITIC_ARTICLES)) else i  # not «الحدود والضمان»
        return tokens[i].start, tokens[last].end
    for first, last in runs(asked, clauses):
        for j in range(last + 1, min(len(tokens) - 1, last + 1 + IN_AFTER)):
            if tokens[j].norm == "في" and clauses[j] == clauses[last] == clauses[j + 1]:
                return _phrase(tokens, asked, clauses, j + 1)
    return None


_FINDERS = {"count": number, "who": _who, "where": _where}  # «متى» ranks dates across sentences: _best_date
KINDS = ("when", *_FINDERS)  # the answer kinds that get a short answer
