"""Follow-up questions: carry the earlier turns into retrieval.

The API is stateless: callers pass the history. A question that leans on the
conversation («ومتى ستجرى الانتخابات؟», «وماذا قالت الرئاسة السورية؟») is
searched together with the previous question, and the content words of the
earlier turns are handed to the composer as context terms.
"""

from __future__ import annotations

from index import arabic

from .rules import FOLLOW_UP_STARTS, NOT_CONJUNCTIONS, PRONOUNS

# How many earlier user turns count; older ones rarely help and add noise.
TURNS = 2
# A question with at most this many content words is treated as elliptical.
SHORT_QUESTION = 4


def user_turns(history) -> list[str]:
    """The user's earlier questions from a history given as a list of
    ``{"role", "content"}`` messages or of ``(question, answer)`` pairs."""
    questions = []
    for turn in history or []:
        if isinstance(turn, dict):
            if turn.get("role") == "user" and isinstance(turn.get("content"), str):
                questions.append(turn["content"])
        elif isinstance(turn, (list, tuple)) and turn and isinstance(turn[0], str):
            questions.append(turn[0])
    return questions


def is_follow_up(question: str) -> bool:
    tokens = arabic.words(question)
    if not tokens:
        return False
    first = tokens[0]
    starts = first.startswith(FOLLOW_UP_STARTS) and len(first) > 2 and first not in NOT_CONJUNCTIONS
    content = [t for t in tokens if t not in arabic.STOPWORDS]
    return starts or len(content) <= SHORT_QUESTION or any(t in PRONOUNS for t in tokens)


def contextualise(question: str, history) -> tuple[str, list[str]]:
    """The text to search with and the context terms for the composer."""
    previous = user_turns(history)[-TURNS:]
    if not previous:
        return question, []
    context_terms = list(dict.fromkeys(arabic.content_terms(" ".join(previous))))
    if not is_follow_up(question):
        return question, []
    return f"{question} {previous[-1]}", context_terms
