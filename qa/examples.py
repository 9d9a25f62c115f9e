"""Example questions drawn from the stored articles, so a newcomer sees what
to ask. Built from titles (else lead sentences) with a few templates; the
same store always gives the same questions, in the same order.

    «اتصال هاتفي بين بشار الأسد وبوتين بشأن الأوضاع الاقتصادية ...»
      → «ماذا دار بين بشار الأسد وبوتين؟»
      → «ما الجديد بشأن الأوضاع الاقتصادية والحل في سوريا؟»
      → «ما تفاصيل الاتصال الهاتفي بين بشار الأسد وبوتين؟»
      → «ماذا أعلنت الرئاسة الروسية؟»
"""

from __future__ import annotations

import re

# Title clauses are split on these (a headline's ".." or ":" starts a new clause).
CLAUSE_BREAKS = re.compile(r"\.{2,}|[:|؟?!،؛;…]|\s[-–—]\s")
# Characters kept in a question: Arabic and Latin letters, digits, spaces, a few joiners.
NOT_KEPT = re.compile(r"[^\w\s\u0600-\u06FF/-]")
TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", flags=re.IGNORECASE | re.DOTALL)
TATWEEL = "\u0640"
# «بين X و Y» ends at the first of these words.
PAIR_ENDS = ("بشأن", "حول", "عن", "على", "في", "لبحث", "لمناقشة", "من", "إلى")
# «بشأن X», «حول X»: the topic after these.
TOPIC_MARKERS = ("بشأن", "حول")
MAX_TOPIC_WORDS = 7
MAX_CLAUSE_WORDS = 9
MIN_CLAUSE_WORDS = 3
LEAD_WORDS = 6
TRIES = 2  # questions asked per example shown, at most (each ask is ~50 ms)
# A headline that opens with an indefinite event noun reads better defined:
# «اتصال هاتفي بين ...» → «الاتصال الهاتفي بين ...».
DEFINE = {"اتصال": "الاتصال", "هاتفي": "الهاتفي", "لقاء": "اللقاء", "اجتماع": "الاجتماع",
          "زيارة": "الزيارة", "قمة": "القمة", "مباحثات": "المباحثات", "محادثات": "المحادثات",
          "اتفاق": "الاتفاق", "هجوم": "الهجوم", "قرار": "القرار", "انتخابات": "الانتخابات"}


def example_questions(qa, n: int = 4, answered: bool = True) -> list[str]:
    """Up to ``n`` questions about the stored articles: the first template
    that fits each article, then the second, and so on (newest articles
    first).  With ``answered``, only questions the store answers are offered
    (each is asked; at most ``n * TRIES`` asks)."""
    articles = sorted(qa.articles(), key=lambda a: (-_day(a.get("published")), a["id"]))[:n * TRIES]
    per_article = [questions_for(a["title"]) if a.get("title") else _lead_question(qa, a["id"])
                   for a in articles]
    chosen: list[str] = []
    asked = 0
    for rank in range(max((len(q) for q in per_article), default=0)):
        for questions in per_article:
            if rank >= len(questions) or questions[rank] in chosen:
                continue
            if answered:
                if asked >= n * TRIES:
                    return chosen
                asked += 1
                if not answerable(qa, questions[rank]):
                    continue
            chosen.append(questions[rank])
            if len(chosen) == n:
                return chosen
    return chosen


def answerable(qa, question: str) -> bool:
    """Whether the store answers ``question``, judged by the extractive
    composer whoever writes the answers: ~50 ms, where a language model
    would take seconds per example at every start of the app."""
    from .extractive import ExtractiveComposer
    from .pipeline import answer

    composer = qa.composer
    if getattr(composer, "name", "") != "extractive":
        composer = getattr(composer, "fallback", None) or ExtractiveComposer(qa.settings)
    return not answer(qa.request(question), composer).abstained


def questions_for(title: str | None) -> list[str]:
    """The questions one title (or lead sentence) gives, best first."""
    clauses = [c for c in (_words(part) for part in CLAUSE_BREAKS.split(title or "")) if c]
    if not clauses:
        return []
    questions = []
    for clause in clauses:
        pair = _pair(clause)
        if pair:
            questions.append(f"ماذا دار بين {pair}؟")
        topic = _topic(clause)
        if topic:
            questions.append(f"ما الجديد بشأن {topic}؟")
    head = clauses[0][:MAX_CLAUSE_WORDS]
    if len(head) >= MIN_CLAUSE_WORDS:
        head = [DEFINE.get(w, w) for w in head[:2]] + head[2:]
        questions.append(f"ما تفاصيل {' '.join(_cut_topic(head))}؟")
    for clause in clauses[1:]:
        subject = _subject(clause)
        if subject:  # the verb agrees with a feminine noun: «الرئاسة» → «أعلنت»
            verb = "أعلنت" if subject.split()[0].endswith("ة") else "أعلن"
            questions.append(f"ماذا {verb} {subject}؟")
    return list(dict.fromkeys(questions))


def _words(text: str) -> list[str]:
    text = NOT_KEPT.sub(" ", TAGS.sub(" ", text).replace(TATWEEL, ""))
    return text.split()


def _pair(words: list[str]) -> str | None:
    """«بين بشار الأسد وبوتين» → «بشار الأسد وبوتين»."""
    if "بين" not in words:
        return None
    rest = words[words.index("بين") + 1:]
    end = next((i for i, w in enumerate(rest) if w in PAIR_ENDS), len(rest))
    pair = rest[:end]
    if len(pair) < 2 or len(pair) > 6 or not any(w.startswith("و") and len(w) > 2 for w in pair[1:]):
        return None
    return " ".join(pair)


def _topic(words: list[str]) -> str | None:
    marker = next((i for i, w in enumerate(words) if w in TOPIC_MARKERS), None)
    if marker is None:
        return None
    topic = words[marker + 1:marker + 1 + MAX_TOPIC_WORDS]
    return " ".join(topic) if len(topic) >= 2 else None


def _cut_topic(words: list[str]) -> list[str]:
    """The head clause up to its «بشأن …» part, which has its own question."""
    for i, w in enumerate(words):
        if w in TOPIC_MARKERS and i >= MIN_CLAUSE_WORDS:
            return words[:i]
    return words


def _subject(words: list[str]) -> str | None:
    """A clause opening with a defined noun and adjective: «والرئاسة الروسية تصدر …»."""
    first = words[0][1:] if words[0].startswith("وال") else words[0]
    if len(words) < 3 or not first.startswith("ال") or not words[1].startswith("ال"):
        return None
    return f"{first} {words[1]}"


def _lead_question(qa, article_id: str) -> list[str]:
    """For an untitled article: its lead sentence's opening words."""
    try:
        text = qa.article(article_id).text
    except KeyError:
        return []
    words = _words(re.split(r"[.!؟?\n]", text.strip(), maxsplit=1)[0])[:LEAD_WORDS]
    return [f"ماذا جاء في الخبر الذي يبدأ بـ«{' '.join(words)}»؟"] if len(words) >= MIN_CLAUSE_WORDS else []


def _day(published: str | None) -> int:
    digits = re.sub(r"\D", "", (published or "")[:10])
    return int(digits) if len(digits) == 8 else 0


__all__ = ["example_questions", "questions_for"]
