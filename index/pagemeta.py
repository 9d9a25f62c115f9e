"""A news page's own date, author and site name, read in the order that is
right most often: the page's JSON-LD, then its ``meta`` tags, then the
visible dateline.  Each value is checked: a date must be a full date, an
author a person's name (no URL, no image file, not the site's name), a site
name not a bare URL.  What fails is None, never junk.

    page_metadata(html)   # {"published": "2020-12-25", "author": "…", "source": "…"}

Dates are the day as the page writes it (its own time zone), not converted
to UTC: «2020-12-25T01:59:50+02:00» is 25 December.
"""

from __future__ import annotations

import json
import re

from index import rules
from index.metadata import find_date

JSONLD_ARTICLES = ("NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle",
                   "WebPage")
META_DATES = ("article:published_time", "datepublished", "pubdate", "publishdate", "publish-date", "date",
              "og:published_time", "sailthru.date", "parsely-pub-date", "dc.date.issued", "dcterms.created")
META_AUTHORS = ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author")
META_SOURCES = ("og:site_name", "application-name", "publisher")
# A visible dateline: an element whose class names a publication date; a
# site-wide clock in the header («header-date») is today's date, not the article's.
DATELINE_CLASS = re.compile(r"(?:^|[\s_-])(?:publish|published|created|post-date|entry-date|article[_-]?date|"
                            r"article_created|news-date|date-publish|time-publish)(?:$|[\s_-])", re.I)
NOT_DATELINE = re.compile(r"header|clock|today|weather|footer", re.I)


def page_metadata(html: str) -> dict:
    """The page's published day, author and site name, each checked (or None)."""
    try:
        import lxml.html

        tree = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - an unparsable page has no metadata
        return {"published": None, "author": None, "source": None}
    ld = _jsonld(tree)
    metas = _metas(tree)
    source = _first_valid([*ld["sources"], *(metas.get(k) for k in META_SOURCES)], valid_source)
    published = _first_valid([*ld["dates"], *(metas.get(k) for k in META_DATES), *_datelines(tree)], _date)
    author = _first_valid([*ld["authors"], *(metas.get(k) for k in META_AUTHORS)],
                          lambda v: valid_author(v, source))
    return {"published": published, "author": author, "source": source}


# ---------------------------------------------------------------- readers
def _jsonld(tree) -> dict:
    found = {"dates": [], "authors": [], "sources": []}
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        for item in sorted(_items(data), key=lambda i: _type_rank(i)):
            if _type_rank(item) >= len(JSONLD_ARTICLES):
                continue
            found["dates"] += [item.get("datePublished"), item.get("dateCreated")]
            found["authors"] += _names(item.get("author"), people_only=True)
            found["sources"] += _names(item.get("publisher"))
        found["sources"] += [i.get("name") for i in _items(data) if _types(i) & {"Organization", "NewsMediaOrganization"}]
    return found


def _items(data):
    if isinstance(data, list):
        for x in data:
            yield from _items(x)
    elif isinstance(data, dict):
        yield data
        yield from _items(data.get("@graph", []))


def _types(item: dict) -> set[str]:
    kind = item.get("@type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def _type_rank(item: dict) -> int:
    return min((JSONLD_ARTICLES.index(t) for t in _types(item) if t in JSONLD_ARTICLES), default=len(JSONLD_ARTICLES))


def _names(value, people_only: bool = False) -> list:
    if isinstance(value, list):
        return [n for v in value for n in _names(v, people_only)]
    if isinstance(value, dict):
        if people_only and _types(value) & {"Organization", "NewsMediaOrganization"}:
            return []
        return [value.get("name")]
    return [value] if isinstance(value, str) else []


def _metas(tree) -> dict[str, str]:
    """``meta`` tags by lower-case name, property or itemprop; the first of
    each that holds something (a later duplicate «og:site_name» is a URL more often)."""
    out: dict[str, list[str]] = {}
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        if key and content:
            out.setdefault(key, []).append(content)
    return {k: _Choices(v) for k, v in out.items()}


class _Choices(list):
    """All values of one meta key, tried in order."""


def _datelines(tree) -> list[str]:
    out = []
    for element in tree.xpath("//time[@datetime] | //*[@class]"):
        classes = element.get("class") or ""
        if element.tag == "time":
            out.append(element.get("datetime"))
        elif DATELINE_CLASS.search(classes) and not NOT_DATELINE.search(classes) and \
                not element.xpath("ancestor::header | ancestor::nav | ancestor::footer"):
            out.append(" ".join(element.text_content().split())[:120])
    return out


def _first_valid(values, check):
    for value in values:
        for one in (value if isinstance(value, _Choices) else [value]):
            found = check(one) if isinstance(one, str) and one.strip() else None
            if found:
                return found
    return None


# ---------------------------------------------------------------- checks
def _date(value: str) -> str | None:
    return find_date(value[:120])


def valid_source(value: str) -> str | None:
    """A site's name; a bare URL or host name is not one."""
    value = " ".join(value.split())
    if not value or rules.NOT_A_NAME.search(value) or len(value) > rules.SOURCE_MAX_CHARS:
        return None
    return value


def valid_author(value: str, source: str | None = None) -> str | None:
    """A person's name: no URL, e-mail, handle or image file, not the site's
    own name, not a dateline «(أبوظبي - البيان)»; «حسام أبو العلا - القاهرة»
    keeps the name and drops the desk's city."""
    value = " ".join(value.split())
    if not value or rules.NOT_A_NAME.search(value) or rules.NOT_AN_AUTHOR.search(value):
        return None
    value = rules.AUTHOR_PLACE_SUFFIX.sub("", value).strip()
    if not value or len(value.split()) > rules.AUTHOR_MAX_WORDS or any(ch.isdigit() for ch in value):
        return None
    if source and (value.casefold() in source.casefold() or source.casefold() in value.casefold()):
        return None
    if re.fullmatch(r"[a-z0-9.\-]+", value):  # «akhbarelyom»: a site's handle, not a person
        return None
    return value
