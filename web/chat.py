"""The chat's handlers: a streaming answer per question, follow-ups that
carry the conversation, retry, and the Gradio API endpoint ``ask``."""

from __future__ import annotations

import logging

import gradio as gr

from qa.api import QA, QuestionError, StoreError

from .escape import esc_lines
from .render import render_answer, render_error, render_partial

log = logging.getLogger(__name__)
NO_COMPOSER = "المجيب غير متاح (the answer composer is not installed)"


def filters(sources, since, until) -> dict:
    """The filter boxes as ``QA.ask`` keywords; blank means no filter."""
    return {"sources": list(sources) if sources else None, "since": (since or "").strip() or None,
            "until": (until or "").strip() or None}


def _role(message) -> str | None:
    return message.get("role") if isinstance(message, dict) else getattr(message, "role", None)


def _truncate_to_last_question(history: list) -> list:
    """The chat without its last user message and what followed it."""
    for i in range(len(history) - 1, -1, -1):
        if _role(history[i]) == "user":
            return history[:i]
    return list(history)


def make_chat(qa: QA):
    """The streaming chat handler and its retry. ``turns`` holds the plain
    (question, answer) pairs that go to ``qa.ask_stream`` as history."""

    def chat(question, history, turns, sources, since, until):
        question = (question or "").strip()
        history, turns = list(history or []), list(turns or [])
        if not question:
            yield "", list(history), list(turns), question
            return
        history += [{"role": "user", "content": esc_lines(question)},
                    {"role": "assistant", "content": render_partial("")}]
        yield "", list(history), list(turns), question
        answer = None
        try:
            for part in qa.ask_stream(question, history=list(turns), **filters(sources, since, until)):
                if isinstance(part, str):
                    history[-1] = {"role": "assistant", "content": render_partial(part)}
                    yield "", list(history), list(turns), question
                else:
                    answer = part
            if answer is None:
                answer = qa.ask(question, history=list(turns), **filters(sources, since, until))
        except (QuestionError, StoreError, ValueError) as exc:
            history[-1] = {"role": "assistant", "content": render_error(str(exc))}
            yield "", list(history), list(turns), question
            return
        except ImportError as exc:
            log.error("cannot answer: %s", exc)
            history[-1] = {"role": "assistant", "content": render_error(NO_COMPOSER)}
            yield "", list(history), list(turns), question
            return
        history[-1] = {"role": "assistant", "content": render_answer(answer, turn=len(turns))}
        turns.append((question, answer.text))
        yield "", list(history), list(turns), question

    def retry(history, turns, last, sources, since, until):
        if not last:
            yield "", history, turns, last
            return
        turns = list(turns or [])
        if turns and turns[-1][0] == last:
            turns.pop()
        yield from chat(last, _truncate_to_last_question(history or []), turns, sources, since, until)

    return chat, retry


def make_example_chat(chat):
    """An example picked in the empty chat is asked like a typed question."""

    def ask_example(history, turns, sources, since, until, evt: gr.SelectData):
        value = evt.value if isinstance(evt.value, dict) else {"text": evt.value}
        yield from chat(value.get("text") or "", history, turns, sources, since, until)

    return ask_example


def make_ask_api(qa: QA):
    def ask(question: str, history: list | None = None, sources: list[str] | None = None,
            since: str | None = None, until: str | None = None) -> dict:
        """Answer a question from the stored articles. Returns the answer JSON:
        question, answer, abstained, citations."""
        try:
            return qa.ask(question, history=history or None, **filters(sources, since, until)).to_dict()
        except (QuestionError, StoreError, ValueError) as exc:
            raise gr.Error(str(exc)) from exc

    return ask
