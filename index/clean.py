"""Cleaning stage: a RawDocument becomes an Article holding only the body.

HTML goes through trafilatura first; then every input gets the same line
cleaning with the rules in ``index/rules.py``: chrome lines are dropped
where they stand, the head (header, headline, byline) is read for metadata,
and the tail after the last body paragraph (author, bio, related, comment
form…) is cut. The text keeps the article's own spelling; only words broken
on purpose (القـ.ـضايا) are mended.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from index import rules
from index.documents import Article, RawDocument, ReadFailure
from index.metadata import byline_source, find_date, metadata
from index.pagemeta import page_metadata, valid_author, valid_source

META_KEYS = ("id", "title", "url", "source", "author", "published")


@dataclass
class _Prepared:
    """A document split into tidy lines, with the metadata known so far."""

    origin: str
    lines: list[str]
    fields: dict  # given by the input
    page: dict  # found in the HTML by trafilatura
    warnings: list[str]  # the document's own list: what cleaning ignored


# ---------------------------------------------------------------- public API

def clean(doc: RawDocument, template_lines: frozenset[str] = frozenset()) -> Article:
    """Clean one document; ``template_lines`` are its site's boilerplate."""
    return _clean_prepared(_prepare(doc), template_lines)


def clean_batch(docs: list[RawDocument], on_done=None) -> list[Article | ReadFailure]:
    """Clean a batch, first learning each source's template lines from it;
    ``on_done()`` is called as each document is finished (a progress bar)."""
    prepared = [_prepare_or_fail(doc) for doc in docs]
    templates = _detect([p for p in prepared if isinstance(p, _Prepared)])
    results = []
    for item in prepared:
        results.append(_finish(item, templates))
        if on_done is not None:
            on_done()
    return results


def deobfuscate(text: str) -> str:
    """Mend words broken with tatweel and a separator (فيـ.ـروس → فيروس) and
    drop zero-width/bidi characters. Real word breaks (a space) are kept."""
    text = rules.OBFUSCATION.sub(r"\g<keep>", text)
    return rules.INVISIBLE.sub("", text)


def detect_template_lines(docs: list[RawDocument]) -> dict[str | None, frozenset[str]]:
    """Lines that recur verbatim in >= TEMPLATE_MIN_ARTICLES articles of one
    source, per source."""
    return _detect([_prepare(doc) for doc in docs])


# ---------------------------------------------------------------- batch helpers

def _prepare_or_fail(doc: RawDocument) -> _Prepared | ReadFailure:
    try:
        return _prepare(doc)
    except Exception as exc:  # one bad page must not stop the batch
        return ReadFailure(doc.origin, f"could not clean: {_one_line(exc)}")


def _finish(item: _Prepared | ReadFailure, templates: dict) -> Article | ReadFailure:
    if isinstance(item, ReadFailure):
        return item
    try:
        article = _clean_prepared(item, templates.get(_source_key(item), frozenset()))
    except Exception as exc:
        return ReadFailure(item.origin, f"could not clean: {_one_line(exc)}")
    return article if article.text else ReadFailure(item.origin, "no article text found")


def _detect(prepared: list[_Prepared]) -> dict[str | None, frozenset[str]]:
    counts: dict[str, Counter] = defaultdict(Counter)
    seen: set[tuple[str, int]] = set()
    for item in prepared:
        key = _source_key(item)
        fingerprint = (key, hash(tuple(item.lines)))
        if key is None or fingerprint in seen:  # copies of one article are not a template
            continue
        seen.add(fingerprint)
        counts[key].update(set(item.lines))
    return {
        key: frozenset(line for line, n in counter.items() if n >= rules.TEMPLATE_MIN_ARTICLES)
        for key, counter in counts.items()
    }


def _source_key(item: _Prepared) -> str | None:
    """The site an article belongs to, for grouping templates."""
    source = item.fields.get("source") or byline_source(item.lines) or item.page.get("source")
    if source:
        return source
    url = item.fields.get("url") or item.page.get("url")
    return urlsplit(url).hostname if url else None


# ---------------------------------------------------------------- preparation

def _prepare(doc: RawDocument) -> _Prepared:
    fields = {k: _text_field(doc.fields.get(k)) for k in META_KEYS}
    page: dict = {}
    text = doc.text or ""
    if doc.html is not None:
        text, page = _extract_html(doc.html, fields.get("url"))
    return _Prepared(doc.origin, _lines(text), fields, page, doc.warnings)


def _text_field(value) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def _extract_html(html: str, url: str | None) -> tuple[str, dict]:
    """Main text and page metadata. Dates come from the page's metadata only:
    htmldate's extensive search guesses (a bare "© 2013" becomes 2013-01-01)."""
    import trafilatura  # heavy; only HTML needs it

    try:
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # noqa: BLE001 - lxml gives up on some broken pages; fall back below
        result = None
    found = (result.as_dict() if hasattr(result, "as_dict") else dict(result)) if result is not None else {}
    if not (found.get("text") or "").strip():
        # Very deep or badly broken markup defeats lxml; the tolerant stdlib
        # parser still gets the visible text, which the line rules then clean.
        return _visible_text(html), {}
    own = page_metadata(html)  # JSON-LD, then meta tags, then the dateline; each checked
    page = {
        "title": found.get("title"), "url": found.get("url"),
        "source": own["source"] or _checked(found.get("sitename"), valid_source),
        "author": own["author"] or _checked(found.get("author"), lambda v: valid_author(v, own["source"])),
        "published": own["published"] or found.get("date"),
    }
    return found.get("text") or "", {k: _text_field(v) for k, v in page.items()}


def _checked(value, check):
    return check(str(value)) if value else None


class _TextParser(HTMLParser):
    SKIP = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form"})
    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article",
                        "section", "blockquote", "title"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def _lines(text: str) -> list[str]:
    """NFC, mended words, tidy spaces; one entry per non-empty line."""
    text = deobfuscate(unicodedata.normalize("NFC", text))
    lines = (rules.SPACES.sub(" ", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


# ---------------------------------------------------------------- cleaning

def _clean_prepared(item: _Prepared, template_lines: frozenset[str]) -> Article:
    lines = item.lines
    kinds = [_kind(line, template_lines) for line in lines]
    _mark_authors(lines, kinds)
    title = (item.fields["title"] or item.page.get("title") or _repeated_headline(lines, kinds)
             or _head_title(lines[:_first_body(lines, kinds)], kinds))
    _mark_titles(lines, kinds, title)
    body = _body(lines, kinds)
    text = "\n\n".join(body)
    meta = metadata(item, lines, kinds, title)
    return Article(id=_article_id(item.fields["id"], meta["url"], text), text=text,
                   origin=item.origin, **meta)


def _kind(line: str, template_lines: frozenset[str]) -> str | None:
    """What a line is, or None for text that may be body."""
    if line in template_lines:
        return "template"
    for kind, patterns in rules.LINE_RULES.items():
        if any(p.search(line) for p in patterns):
            return kind
    if rules.UPDATED_LINE.match(line) or (rules.DATE_LINE.match(line) and find_date(line)):
        return "date"
    if rules.SOURCE_BYLINE.match(line) or rules.AUTHOR_BYLINE.match(line):
        return "byline"
    return None


def _mark_authors(lines: list[str], kinds: list[str | None]) -> None:
    """A short name line directly above a bio, after the body, is the author."""
    for i in range(_last_body(lines, kinds) + 1, len(lines) - 1):
        if kinds[i] is None and kinds[i + 1] == "bio" and _is_name(lines[i]):
            kinds[i] = "author"


def _is_name(line: str) -> bool:
    return bool(rules.AUTHOR_NAME.match(line)) and len(line.split()) <= rules.AUTHOR_NAME_MAX_WORDS


def _is_body(line: str) -> bool:
    """Reads as a paragraph of the article: a sentence of some length."""
    return len(line.split()) >= rules.BODY_MIN_WORDS and bool(rules.SENTENCE_END.search(line))


def _first_body(lines: list[str], kinds: list[str | None]) -> int:
    return next((i for i, line in enumerate(lines) if kinds[i] is None and _is_body(line)), len(lines))


def _head_title(head: list[str], kinds: list[str | None]) -> str | None:
    """The first plain line above the body, when it is headline-shaped."""
    for line, kind in zip(head, kinds):
        if kind is None:
            return line if len(line.split()) <= rules.TITLE_MAX_WORDS else None
    return None


def _repeated_headline(lines: list[str], kinds: list[str | None]) -> str | None:
    """A first plain line printed twice at the top is the headline, even when
    it reads like a sentence ("…؟")."""
    first = next((i for i, kind in enumerate(kinds) if kind is None), None)
    if first is None or len(lines[first].split()) > rules.TITLE_MAX_WORDS:
        return None
    nearby = lines[first + 1:first + 1 + rules.HEADLINE_REPEAT_WINDOW]
    return lines[first] if _fold(lines[first]) in map(_fold, nearby) else None


def _mark_titles(lines: list[str], kinds: list[str | None], title: str | None) -> None:
    """The headline is the title; its copies above the body are not text."""
    if not title:
        return
    key = _fold(title)
    for i, line in enumerate(lines):
        if kinds[i] is None and _fold(line) == key:
            kinds[i] = "title"
        elif kinds[i] is None and _is_body(line):
            return


def _fold(line: str) -> str:
    return " ".join(rules.SENTENCE_END.sub("", line).split()).casefold()


def _body(lines: list[str], kinds: list[str | None]) -> list[str]:
    """Body lines: everything up to the tail, less chrome lines."""
    end = _tail_start(lines, kinds)
    return [line for line, kind in zip(lines[:end], kinds[:end])
            if kind is None or kind in rules.TAIL_ONLY_KINDS]


def _tail_start(lines: list[str], kinds: list[str | None]) -> int:
    """First tail-chrome line after the last body paragraph. Bios never
    count as body here, so an author block cannot shield itself."""
    tail = set(rules.TAIL_KINDS) | {"author"}
    return next((i for i in range(_last_body(lines, kinds) + 1, len(lines)) if kinds[i] in tail), len(lines))


def _last_body(lines: list[str], kinds: list[str | None]) -> int:
    return max((i for i, line in enumerate(lines) if kinds[i] is None and _is_body(line)), default=-1)


def _article_id(given: str | None, url: str | None, text: str) -> str:
    """The input's id, else a hash of the url, else of the cleaned text."""
    if given:
        return given
    basis = f"url:{url}" if url else f"text:{text}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def _one_line(exc: Exception) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())
