"""The generative composer: a language model behind any OpenAI-compatible
endpoint (vLLM, Ollama, llama.cpp's server, TGI, a hosted router) writes
the answer, and nothing reaches the user that the cited passage does not
support.

prompt (qa/prompt.py) → tokens streamed as they come → the sentences
checked against their passages (qa/verify.py) → a Draft whose every
citation quotes its supporting sentence exactly.  An answer not in Arabic
is asked for once more, then replaced by the extractive one; an endpoint
that is down, refuses, times out or answers garbage gets the extractive
answer with a ``note`` saying so.

    QA_COMPOSER=llm QA_LLM_URL=http://127.0.0.1:8080/v1 qa ask "…"
    draft = LLMComposer(settings).compose(request)
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

from index.settings import Settings

from . import prompt, verify
from .answer import Citation
from .composer import Draft, Request
from .extractive import ExtractiveComposer
from .question import keys_of
from .short import short_answer

log = logging.getLogger(__name__)
API_KEY_VARIABLE = "QA_LLM_API_KEY"  # read here only; never a setting, never logged
CONNECT_TIMEOUT_S = 5.0
NOTE_FAULT = "تعذر الحصول على إجابة من نموذج اللغة، فهذه إجابة استخراجية من نص المقالات " \
             "(the language model did not answer: {reason}; this is the extractive answer)"
NOTE_LANGUAGE = "كتب نموذج اللغة إجابته بغير العربية مرتين، فهذه إجابة استخراجية من نص المقالات " \
                "(the language model answered in another language twice; this is the extractive answer)"
NOTE_DROPPED = "حُذفت {n} من جمل النموذج لأن المقالة التي تستشهد بها لا تؤيدها " \
               "({n} generated sentence(s) removed: the cited article does not support them)"


class LLMFault(Exception):
    """The endpoint failed; the message says how (never with the key)."""


def check_url(url: str) -> str:
    """``url`` if it is an http(s) base URL; else a one-line ValueError."""
    if not url:
        raise ValueError("QA_COMPOSER=llm يحتاج QA_LLM_URL (the llm composer needs QA_LLM_URL, an OpenAI-compatible "
                         "base URL such as http://127.0.0.1:8080/v1)")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"QA_LLM_URL غير صالح (QA_LLM_URL={shown_url(url)!r} is not an http(s) URL such as "
                         "http://127.0.0.1:8080/v1)")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise ValueError(f"QA_LLM_URL غير صالح (QA_LLM_URL={shown_url(url)!r}: {exc})") from None
    return url.strip().rstrip("/")


def shown_url(url: str) -> str:
    """``url`` without any user:password part, for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unreadable>"
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "") if "@" in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class LLMComposer:
    name = "llm"
    streams_tokens = True  # qa/pipeline.answer_stream passes its tokens on as they come

    def __init__(self, settings: Settings | None = None, fallback: ExtractiveComposer | None = None):
        self.settings = settings or Settings()
        self.url = check_url(self.settings.llm_url)
        self.fallback = fallback or ExtractiveComposer(self.settings)
        self._client = None
        self._model = self.settings.llm_model or None
        self.open_streams = 0  # requests to the model still open (cancelling a stream closes its request)
        self._counting = threading.Lock()

    # -- the endpoint ---------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            import httpx
            import openai

            timeout = float(self.settings.llm_timeout)
            self._client = openai.OpenAI(base_url=self.url, api_key=os.environ.get(API_KEY_VARIABLE) or "none",
                                         timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT_S, timeout)),
                                         max_retries=0)
        return self._client

    def model(self) -> str:
        """``QA_LLM_MODEL``, else the first model the server lists."""
        if self._model is None:
            try:
                listed = self.client.models.list().data
            except Exception as exc:  # noqa: BLE001 - every failure is a fault shown to the user
                raise LLMFault(describe(exc, self.url)) from None
            if not listed:
                raise LLMFault(f"{shown_url(self.url)} lists no model; set QA_LLM_MODEL")
            self._model = listed[0].id
        return self._model

    # -- composing --------------------------------------------------------------------
    def compose(self, request: Request) -> Draft:
        draft = None
        for part in self.stream(request):
            if isinstance(part, Draft):
                draft = part
        return draft

    def stream(self, request: Request) -> Iterator[str | Draft]:
        """The model's text as it grows, then the verified Draft."""
        passages = request.passages[:max(1, int(self.settings.llm_passages))]
        if not passages:
            yield Draft(cannot_answer=True, composer=self.name)
            return
        deadline = time.monotonic() + float(self.settings.llm_timeout)
        sent = prompt.messages(request.question, passages, request.history)
        replies: list[dict] = []
        try:
            text = yield from self.generate(sent, deadline, replies)
            if not verify.in_arabic(text):
                log.info("the model answered in another script (%.0f%% Arabic letters); asking once more",
                         100 * verify.arabic_share(text))
                text = yield from self.generate(prompt.arabic_only(sent), deadline, replies)
                if not verify.in_arabic(text):
                    yield self.extractive(request, NOTE_LANGUAGE, replies)
                    return
        except LLMFault as fault:
            log.warning("language model fault: %s", fault)
            yield self.extractive(request, NOTE_FAULT.format(reason=fault), replies)
            return
        draft = self.verified(request, passages, text)
        draft.generations = replies
        yield draft

    def generate(self, sent: list[dict], deadline: float, replies: list | None = None) -> Iterator[str]:
        """Stream one completion: yields the text as it grows, returns it
        (and appends it, with its token count and timings, to ``replies``).
        Past ``deadline``, or when the caller stops reading, the request to
        the model is closed."""
        model = self.model()
        parts: queue.Queue = queue.Queue()
        stop = threading.Event()
        worker = threading.Thread(target=self._read, args=(model, sent, parts, stop), daemon=True, name="llm-stream")
        self._count(+1)
        started = time.monotonic()
        reply = {"text": "", "tokens": 0, "first_token_s": None, "seconds": None}
        if replies is not None:
            replies.append(reply)
        worker.start()
        try:
            while True:
                remaining = deadline - time.monotonic()
                try:
                    kind, value = parts.get(timeout=max(0.0, remaining))
                except queue.Empty:
                    raise LLMFault(f"no complete answer within QA_LLM_TIMEOUT={self.settings.llm_timeout:g} s") from None
                if kind == "text":
                    if reply["first_token_s"] is None:
                        reply["first_token_s"] = round(time.monotonic() - started, 3)
                    reply["text"] += value
                    reply["tokens"] += 1  # one streamed chunk per token (llama.cpp, vLLM); others may group them
                    yield reply["text"]
                elif kind == "end":
                    reply["seconds"] = round(time.monotonic() - started, 3)
                    return reply["text"]
                else:
                    raise LLMFault(describe(value, self.url))
        finally:
            stop.set()  # the reader closes the HTTP request at its next token: the server stops generating

    def _read(self, model: str, sent: list[dict], parts: queue.Queue, stop: threading.Event) -> None:
        stream = None
        try:
            stream = self.client.chat.completions.create(model=model, messages=sent, stream=True, temperature=0.0,
                                                         max_tokens=int(self.settings.llm_max_tokens))
            for chunk in stream:
                if stop.is_set():
                    break
                delta = chunk.choices[0].delta.content if chunk.choices else None
                if delta:
                    parts.put(("text", delta))
            parts.put(("end", None))
        except Exception as exc:  # noqa: BLE001 - handed to the consumer, which turns it into a note
            parts.put(("error", exc))
        finally:
            if stream is not None:
                stream.close()
            self._count(-1)

    def _count(self, step: int) -> None:
        with self._counting:
            self.open_streams += step

    def extractive(self, request: Request, note: str, replies=()) -> Draft:
        draft = self.fallback.compose(request)
        draft.note = note
        draft.generations = list(replies)
        return draft

    # -- verification ------------------------------------------------------------------
    def verified(self, request: Request, passages, text: str) -> Draft:
        """The generated sentences that their passages support, each cited to
        its supporting sentence; the support logit from the sentence scorer."""
        sentences, terms = self.fallback.candidates(request)
        z, p = [], []
        if sentences and terms:
            matrix, with_vectors = self.fallback.featurize(request, sentences, terms)
            z, p = self.fallback.scorer.score(matrix, with_vectors)
            for sentence, prob in zip(sentences, p):
                sentence.score = float(prob)
        row = {id(s): i for i, s in enumerate(sentences)}
        sources = [verify.Source(passage, inside(passage, sentences)) for passage in passages]
        found = verify.check(verify.claims_of(text), sources, request.lookups)
        note = NOTE_DROPPED.format(n=found.dropped) if found.dropped else None
        if not found.kept:
            return Draft(cannot_answer=True, composer=self.name, dropped=found.dropped, note=note)
        citations: dict[tuple[str, int], Citation] = {}
        pieces, used = [], []
        for claim, backing in found.kept:
            numbers = []
            for support in backing:
                numbers.append(cite(citations, support.sentence, sources[support.source].passage).n)
                used.append(support.sentence)
            pieces.append(f"{claim.text} {''.join(f'[{n}]' for n in dict.fromkeys(numbers))}")
        rows = [row[id(s)] for s in used if id(s) in row]
        best = max(rows, key=lambda i: z[i]) if rows and len(z) else None
        short = short_answer(request.asked.kind, used, keys_of(terms)) if terms else None
        text = " ".join(pieces)
        short_n = None
        if short is not None and short[0] in text:
            short_n = citations[(short[1].article.id, short[1].start)].n
        return Draft(text=text, citations=list(citations.values()), short=short[0] if short_n else None,
                     short_citation=short_n, support=float(z[best]) if best is not None else 0.0,
                     evidence={"top_probability": float(p[best]) if best is not None else 0.0},
                     composer=self.name, dropped=found.dropped, note=note)


def inside(passage, sentences) -> list:
    """The candidate sentences within ``passage`` (what the model was shown)."""
    return [s for s in sentences if s.article.id == passage.article.id and s.start < passage.end
            and s.end > passage.start]


def cite(citations: dict, sentence, passage) -> Citation:
    key = (sentence.article.id, sentence.start)
    if key not in citations:
        a = sentence.article
        citations[key] = Citation(len(citations) + 1, a.id, a.title, a.source, a.url, a.published, sentence.text,
                                  passage.chunk_id, sentence.score, sentence.start, sentence.end)
    return citations[key]


def describe(exc: Exception, url: str) -> str:
    """A fault in one line: what happened, at which endpoint (no key, no password)."""
    import openai

    where = shown_url(url)
    if isinstance(exc, openai.APITimeoutError):
        return f"{where} timed out"
    if isinstance(exc, openai.APIConnectionError):
        return f"{where} cannot be reached ({_cause(exc)})"
    if isinstance(exc, openai.APIStatusError):
        return f"{where} answered HTTP {exc.status_code}"
    if isinstance(exc, ValueError):  # JSON that does not parse, or a reply of the wrong shape
        return f"{where} sent a malformed reply ({type(exc).__name__})"
    return f"{where} failed ({type(exc).__name__})"


def _cause(exc: Exception) -> str:
    inner = exc.__cause__ or exc.__context__
    text = str(inner or exc).splitlines()[0] if str(inner or exc) else type(inner or exc).__name__
    return text[:120]
