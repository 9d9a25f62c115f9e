"""Time questions in the web chat, in a real browser (headless Chromium,
offline) over invented reports of several days at a fixed QA_TODAY: under
the answer a reader sees the window the question named («الفترة: من 9 إلى
10 أغسطس 2015») and each source's date, the window between the answer's
text and its sources, and nothing of the kind when the question names no
time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers_browser import (  # noqa: F401  (fixtures)
    NEWEST_ANSWER, ask_in_chat, assert_local, browser, page, shots_dir)

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = "2015-08-11"
RANGE = "عند أي مستوى أغلق مؤشر سوق الأسهم السعودية بين 9 و10 أغسطس 2015؟"
LATEST = "ما آخر إغلاق لمؤشر سوق الأسهم السعودية؟"
TIMELESS = "ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟"
# The window's box: shown (not hidden, not zero-sized), what the browser paints
# at its centre once scrolled into view, and where it sits against the answer.
WINDOW = f"""(() => {{
  const answer = {NEWEST_ANSWER}, w = answer.querySelector('.qa-window'); if (!w) return null;
  w.scrollIntoView({{block: 'center'}});
  const r = w.getBoundingClientRect(), style = getComputedStyle(w);
  const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  const text = answer.querySelector('.qa-answer-text'), sources = answer.querySelector('.qa-sources');
  return {{text: w.innerText, height: r.height, shown: style.visibility === 'visible' && style.display !== 'none'
           && +style.opacity > 0, painted: !!hit && w.contains(hit),
           below_text: !text || text.getBoundingClientRect().bottom <= r.top + 1,
           above_sources: !sources || r.bottom <= sources.getBoundingClientRect().top + 1}};
}})()"""
DATES = f"Array.from({NEWEST_ANSWER}.querySelectorAll('.qa-source .qa-date')).map(d => d.innerText.trim())"


@pytest.fixture(scope="module")
def server(tmp_path_factory, sample_store, embedder, model_cache):
    from index.settings import Settings
    from qa.api import QA
    from web.server import serve_in_background

    store = tmp_path_factory.mktemp("browser-dated") / "store"
    shutil.copytree(sample_store, store)  # the Assad–Putin article: a question with no time in it
    settings = Settings.from_env(environ={}, store=store, model_cache=model_cache, today=TODAY)
    qa = QA(settings)
    qa.store._embedder = embedder
    qa.ingest([FIXTURES / "dated_news.jsonl"])
    with serve_in_background(qa, settings) as url:
        yield url




def test_the_chat_shows_the_time_window_and_source_dates_under_the_answer(page, server, tmp_path_factory):
    shots = shots_dir(tmp_path_factory)
    page.send("Page.navigate", url=server)
    page.wait_for("!!document.querySelector('#qa-question textarea')", what="the question box")

    text = ask_in_chat(page, RANGE, 0)
    assert "8834.82" in text and "بحسب واس (10 أغسطس 2015):" in text, text
    window = page.js(WINDOW)
    assert window is not None, "no time window under the answer"
    assert window["text"].strip() == "الفترة: من 9 إلى 10 أغسطس 2015", window
    assert window["shown"] and window["height"] > 0 and window["painted"], f"the window is not visible: {window}"
    assert window["below_text"] and window["above_sources"], f"not between the answer and its sources: {window}"
    dates = page.js(DATES)
    assert dates and set(dates) <= {"9 أغسطس 2015", "10 أغسطس 2015"} and "10 أغسطس 2015" in dates, dates
    page.screenshot(shots / "app-time-window.png")

    ask_in_chat(page, LATEST, 1)
    window = page.js(WINDOW)
    assert window is not None and window["text"].strip() == "الأحدث أولاً", window
    assert window["shown"] and window["painted"], window
    # more than two sources start folded (web/render.py OPEN_SOURCES): unfold them as a reader would
    page.js(f"{NEWEST_ANSWER}.querySelector('.qa-sources:not([open]) summary')?.click()")
    assert page.js(DATES)[0] == "10 أغسطس 2015", "the newest report is the first source"

    ask_in_chat(page, TIMELESS, 2)
    assert page.js(WINDOW) is None, "a question naming no time shows no window"
    assert page.js(f"{NEWEST_ANSWER}.querySelectorAll('.qa-source').length") >= 1, "answered, with its source"
    assert_local(page.requests())
