"""What comes with a question (history, sources, since, until): through the
HTTP API as JSON delivers it, each wrong type or impossible date is a 400
with one clear line (Arabic first), never a Python error or a silent
abstention; and the Python API takes the same values."""

from __future__ import annotations

import shutil

import httpx
import pytest

from web.server import serve_in_background
from index.settings import Settings
from qa.api import QA
from qa.inputs import InputError, day
from tests.conftest import FIXTURES

QUESTION = "كم يبلغ طول مسارات قطار الرياض؟"  # answered by riyadh-metro, published 2024-12-01
SOURCE = "صحيفة الرياض"


@pytest.fixture(scope="module")
def served(tmp_path_factory, sample_store, model_cache, embedder):
    store = tmp_path_factory.mktemp("inputs-store") / "store"
    shutil.copytree(sample_store, store)
    settings = Settings.from_env(environ={}, store=store, model_cache=model_cache)
    qa = QA(settings)
    qa.store._embedder = embedder
    assert qa.ingest([FIXTURES / "small_corpus.jsonl"])["added"] == 3
    with serve_in_background(qa, settings) as url:
        yield qa, url


def post(url: str, **body) -> httpx.Response:
    return httpx.post(f"{url}/api/ask", json={"question": QUESTION, **body}, timeout=120)


REFUSED = [
    ({"since": 2021}, "تاريخ البداية غير صالح (since must be a date written as text, YYYY, YYYY-MM or YYYY-MM-DD, "
                      "not a number: 2021)"),
    ({"until": ["2021"]}, "تاريخ النهاية غير صالح (until must be a date written as text"),
    ({"since": "2021-13-45"}, "تاريخ البداية غير صالح (since '2021-13-45': there is no month 13)"),
    ({"since": "2021-02-31"}, "تاريخ البداية غير صالح (since '2021-02-31': February 2021 has 28 days)"),
    ({"until": "2024-02-30"}, "February 2024 has 29 days"),
    ({"since": "yesterday"}, "since 'yesterday' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"since": "2022", "until": "2021-06"}, "تاريخ البداية بعد تاريخ النهاية (since 2022 is after until 2021-06)"),
    ({"history": 5}, "سجل المحادثة غير صالح (history must be a list of [question, answer] pairs or "
                     "{\"role\", \"content\"} messages, not a number)"),
    ({"history": "سؤال سابق"}, "not a string"),
    ({"history": [["سؤال", "جواب"], 7]}, "history[1] must be a [question, answer] pair of strings"),
    ({"history": [[1, 2]]}, "history[0] must be a [question, answer] pair"),
    ({"sources": 3}, "المصادر غير صالحة (sources must be a list of source names, not a number)"),
    ({"sources": [SOURCE, None]}, "sources[1] must be a source name, not null"),
]


@pytest.mark.parametrize("body, message", REFUSED, ids=[str(b) for b, _ in REFUSED])
def test_wrong_types_and_dates_are_refused_with_one_line(served, body, message):
    response = post(served[1], **body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert message in error and "\n" not in error, error
    assert "object has no attribute" not in error and "is not iterable" not in error


def test_one_source_as_a_string_is_one_source_not_its_letters(served):
    as_list = post(served[1], sources=[SOURCE]).json()
    as_text = post(served[1], sources=SOURCE).json()
    assert not as_text["abstained"] and {c["source"] for c in as_text["citations"]} == {SOURCE}
    assert as_text["citations"] == as_list["citations"]


def test_valid_filters_still_filter(served):
    url = served[1]
    kept = post(url, since=" 2024 ", until="2024-12").json()
    assert "riyadh-metro" in {c["article_id"] for c in kept["citations"]}, kept
    assert "riyadh-metro" not in {c["article_id"] for c in post(url, since="2024-12-02").json()["citations"]}
    assert "riyadh-metro" not in {c["article_id"] for c in post(url, until="2024-11").json()["citations"]}
    unfiltered = post(url, since="", until=None, sources=[], history=[]).json()
    assert "riyadh-metro" in {c["article_id"] for c in unfiltered["citations"]}


def test_python_api_refuses_the_same(served):
    qa, _ = served
    with pytest.raises(InputError, match="there is no month 13"):
        qa.ask(QUESTION, since="2021-13-01")
    with pytest.raises(InputError, match="history must be a list"):
        qa.ask(QUESTION, history=5)
    assert {p.article.source for p in qa.search(QUESTION, sources=SOURCE)} == {SOURCE}


@pytest.mark.parametrize("text, end, expected", [
    ("2021", False, 20210101), ("2021", True, 20211231), ("2021-02", True, 20210228), ("2024-02", True, 20240229),
    ("2021-4-5", False, 20210405), (None, False, None), ("  ", True, None),
])
def test_day(text, end, expected):
    assert day(text, "until" if end else "since", end=end) == expected
