"""The web chat in a real browser (headless Chromium, offline), checked as a
reader sees it: the newest answer starts in view on a desktop and a phone,
each source article is listed once with its dates, passages are spaced and
cut at word boundaries, the corpus chart shows what `qa articles` lists, the
layout does not jump, and injected markup stays text. Screenshots go to
$APP_SCREENSHOTS (or a temporary folder; run with -s to see the paths)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers_browser import (  # noqa: F401  (fixtures)
    NEWEST_ANSWER, Page, ask_in_chat, assert_local, browser, page, shots_dir)

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures"
QUESTION = "ماذا دار بين بشار الأسد وبوتين؟"
TWO_QUOTES = "ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟"  # two sentences of the one article
DATED = "ما أخبار التمور في بريدة والسعودية؟"  # articles of 2021 and 2022
INJECTED_QUESTION = "كم يوماً يستمر مهرجان التمور في بريدة؟"
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
          "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
ARABIC_DATE = re.compile(rf"^\d{{1,2}} ({'|'.join(MONTHS)}) \d{{4}}$")
SENTENCE_GLUE = re.compile(r"[.!?؟؛][\u0621-\u064aA-Za-z]")
# The newest answer's bubble starts inside the window and inside the chat's visible part.
ANSWER_TOP_IN_VIEW = f"""(() => {{
  const answer = {NEWEST_ANSWER}; if (!answer) return false;
  const top = (answer.closest('.message') || answer).getBoundingClientRect().top;
  const chat = document.querySelector('#qa-chat').getBoundingClientRect();
  return top >= Math.max(0, chat.top) && top < Math.min(innerHeight, chat.bottom) - 40;
}})()"""
PASSAGES = """Array.from(document.querySelectorAll('#qa-chat .qa-passage')).map(b =>
  Array.from(b.querySelectorAll('p')).map(p => { const c = p.cloneNode(true);
    c.querySelectorAll('.qa-qlabel').forEach(x => x.remove()); return c.innerText; }))"""
SOURCES = f"""(() => Array.from({NEWEST_ANSWER}.querySelectorAll('.qa-source')).map(s => ({{
  title: s.querySelector('.qa-title').innerText, date: s.querySelector('.qa-date').innerText,
  marks: s.querySelectorAll('mark').length}})))()"""
CONTENT_WIDTH = "document.querySelector('#qa-header').getBoundingClientRect().width"


@pytest.fixture(scope="module")
def served(tmp_path_factory, sample_store, embedder, model_cache):
    from index.settings import Settings
    from qa.api import QA
    from web.server import serve_in_background

    store = tmp_path_factory.mktemp("browser-store") / "store"
    shutil.copytree(sample_store, store)
    settings = Settings.from_env(environ={}, store=store, model_cache=model_cache, admin_token="browser-secret")
    qa = QA(settings)
    qa.store._embedder = embedder
    qa.ingest([FIXTURES / "injection.jsonl", FIXTURES / "small_corpus.jsonl"])
    with serve_in_background(qa, settings) as url:
        yield qa, url, store


@pytest.fixture(scope="module")
def server(served):
    return served[1]


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return shots_dir(tmp_path_factory)


def _open(page: Page, url: str) -> None:
    page.send("Page.navigate", url=url)
    page.wait_for("!!document.querySelector('#qa-question textarea')", what="the question box")




def _tab(page: Page, label: str) -> None:
    page.js("Array.from(document.querySelectorAll('button[role=tab]'))"
            f".find(b => b.innerText.includes({json.dumps(label)})).click()")


def _check_passages(page: Page, qa) -> int:
    """No sentence glued to the next, no passage piece starting or ending mid-word."""
    texts = [a.text for a in (qa.article(row["id"]) for row in qa.articles())]
    pieces = [piece for passage in page.js(PASSAGES) for piece in passage if piece.strip()]
    for piece in pieces:
        assert not SENTENCE_GLUE.search(piece), piece
        core = piece.strip().removeprefix("… ").removesuffix(" …")
        text = next((t for t in texts if core in t), None)
        assert text is not None, f"not a slice of a stored article: {core[:40]}"
        at = text.index(core)
        assert at == 0 or text[at - 1].isspace(), f"starts mid-word: {core[:30]}"
        assert at + len(core) == len(text) or text[at + len(core)].isspace(), f"ends mid-word: {core[-30:]}"
    return len(pieces)


def _no_button_on_a_question(page: Page) -> None:
    overlaps = page.js("""(() => {
      const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const asked = Array.from(document.querySelectorAll('#qa-chat .user-row .message'))
        .map(m => m.getBoundingClientRect());
      return Array.from(document.querySelectorAll('#qa-chat button')).filter(b => b.offsetParent !== null)
        .filter(b => asked.some(r => hit(b.getBoundingClientRect(), r)))
        .map(b => b.getAttribute('aria-label') || b.innerText);
    })()""")
    assert overlaps == [], f"buttons over a question bubble: {overlaps}"


def test_chat_on_a_desktop_answers_in_view_with_one_card_per_source(page, served, shots):
    qa, url, _ = served
    _open(page, url)
    width = page.js(CONTENT_WIDTH)
    seen_multi_quote = False
    for i, question in enumerate((QUESTION, TWO_QUOTES, DATED)):
        text = ask_in_chat(page, question, i)
        assert re.search(r"\[\d+[أ-ي]?\]", text), text
        page.wait_for(ANSWER_TOP_IN_VIEW, timeout=10, what=f"the top of answer {i + 1} in view")
        sources = page.js(SOURCES)
        titles = [s["title"] for s in sources]
        assert sources and len(titles) == len(set(titles)), f"an article listed twice: {titles}"
        seen_multi_quote |= any(s["marks"] > 1 for s in sources)
        _no_button_on_a_question(page)
        assert page.js(CONTENT_WIDTH) == width, "the column widened when an answer arrived"
    assert seen_multi_quote, "one of the questions quotes two sentences of one article, shown in one card"
    dated = page.js(SOURCES)
    assert all(ARABIC_DATE.match(s["date"]) for s in dated), dated
    if len({s["date"] for s in dated}) > 1:
        assert page.js(f"{NEWEST_ANSWER}.querySelectorAll('.qa-tl-dot').length") == len(dated)
    assert _check_passages(page, qa) >= 3
    assert page.js("getComputedStyle(document.body).direction") == "rtl"
    assert page.js("document.documentElement.dir") == "rtl"
    assert page.js("getComputedStyle(document.querySelector('#qa-question textarea')).direction") == "rtl"
    assert page.js("getComputedStyle(document.querySelector('#qa-chat .qa-answer')).direction") == "rtl"
    assert "Noto Naskh Arabic" in page.js("getComputedStyle(document.querySelector('#qa-chat .qa-answer')).fontFamily")
    href = page.js(f"{NEWEST_ANSWER}.querySelector('a.qa-cite').getAttribute('href')")
    assert href.startswith("#qa-src-") and page.js(f"!!document.getElementById({json.dumps(href[1:])})")
    page.js("window.scrollTo(0, 0)")
    page.screenshot(shots / "app-chat.png")
    assert_local(page.requests())


def test_chat_on_a_phone_answers_in_view(page, served, shots):
    qa, url, _ = served
    page.size(420, 860)
    _open(page, url)
    example = page.js("document.querySelector('#qa-chat button.example').innerText").strip()
    assert example.endswith("؟"), "example questions wait in the empty chat"
    page.js("document.querySelector('#qa-chat button.example').click()")
    page.wait_for(f"{NEWEST_ANSWER} !== undefined", timeout=90, what="the example's answer")
    assert page.js("document.querySelector('#qa-chat .user-row').innerText").strip() == example
    page.wait_for(ANSWER_TOP_IN_VIEW, timeout=10, what="the top of the answer in view")
    ask_in_chat(page, TWO_QUOTES, 1)
    page.wait_for(ANSWER_TOP_IN_VIEW, timeout=10, what="the top of the second answer in view")
    ask_in_chat(page, QUESTION, 2)
    page.wait_for(ANSWER_TOP_IN_VIEW, timeout=10, what="the top of the third answer in view")
    assert page.js("document.documentElement.scrollWidth <= innerWidth"), "the page scrolls sideways"
    assert page.js("document.querySelector('#qa-send').getBoundingClientRect().bottom <= innerHeight"), \
        "the question box is below the window"
    _check_passages(page, qa)
    page.screenshot(shots / "app-chat-phone.png")


WHEN = "متى ستجرى الانتخابات الرئاسية السورية؟"
# The bold short answer of the newest answer: its text, whether it is drawn
# bold inside the answer's text, where it sits, and the characters either side.
BOLD = f"""(() => {{
  const answer = {NEWEST_ANSWER};
  const bold = answer.querySelector('strong');
  if (!bold) return null;
  const r = bold.getBoundingClientRect(), text = answer.innerText, at = text.indexOf(bold.innerText);
  return {{text: bold.innerText, weight: parseInt(getComputedStyle(bold).fontWeight), count: answer.querySelectorAll('strong').length,
          inText: !bold.closest('.qa-sources'), height: r.height, top: r.top, bottom: r.bottom, width: r.width,
          before: at > 0 ? text[at - 1] : ' ', after: text[at + bold.innerText.length] || ' '}};
}})()"""


@pytest.mark.parametrize("width, height", [(1280, 900), (420, 860)], ids=["desktop", "phone"])
def test_the_short_answer_is_bold_in_the_answer_text_in_view(page, served, shots, width, height):
    """«متى…؟»: the day the article gives, drawn bold once inside the answer's
    text, in view once the answer is, and set off by spaces or punctuation."""
    _, url, _ = served
    page.size(width, height)
    _open(page, url)
    ask_in_chat(page, WHEN, 0)
    page.wait_for(ANSWER_TOP_IN_VIEW, timeout=10, what="the top of the answer in view")
    bold = page.js(BOLD)
    assert bold is not None, "no bold short answer"
    assert "26" in bold["text"] and ("أيار" in bold["text"] or "مايو" in bold["text"]), bold
    assert bold["count"] == 1 and bold["inText"] and bold["weight"] >= 600, bold
    assert bold["height"] > 0 and bold["width"] > 0, f"the bold answer is not drawn: {bold}"
    page.js(f"{NEWEST_ANSWER}.querySelector('strong').scrollIntoView({{block: 'center'}})")
    bold = page.js(BOLD)
    assert 0 <= bold["top"] and bold["bottom"] <= page.js("innerHeight"), f"the bold answer is out of view: {bold}"
    assert not bold["before"].isalnum() and not bold["after"].isalnum(), f"glued to its neighbours: {bold}"
    page.screenshot(shots / f"app-short-answer-{width}.png")


def _cli_articles(store: Path) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "qa", "articles", "--json", "--store", str(store)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_corpus_tab_pictures_the_archive_as_qa_articles_lists_it(page, served, shots):
    qa, url, store = served
    listed = _cli_articles(store)
    _open(page, url)
    width = page.js(CONTENT_WIDTH)
    _tab(page, "المقالات")
    page.wait_for("document.querySelectorAll('#qa-timeline svg [aria-roledescription=bar]').length > 0",
                  what="the chart's bars")
    bars = page.js("Array.from(document.querySelectorAll('#qa-timeline svg [aria-roledescription=bar]'))"
                   ".map(e => e.getAttribute('aria-label'))")
    charted = Counter()
    for label in bars:
        fields = dict(part.split(": ", 1) for part in label.split("; "))
        charted[(fields["الشهر"], fields["المصدر"])] += int(fields["عدد المقالات"])
    expected = Counter()
    for row in listed:
        if row["published"]:
            year, month = int(row["published"][:4]), int(row["published"][5:7])
            expected[(f"{MONTHS[month - 1]} {year}", row["source"] or "بلا مصدر")] += 1
    assert charted == expected
    chips = page.js("Array.from(document.querySelectorAll('#qa-summary .qa-by-source li'))"
                    ".map(li => [li.querySelector('.qa-src-name').innerText,"
                    " +li.querySelector('.qa-src-count').innerText])")
    assert Counter({name: n for name, n in chips}) == Counter(row["source"] or "بلا مصدر" for row in listed)
    summary = page.js("document.querySelector('#qa-summary').innerText")
    assert "1 سبتمبر 2021" in summary and "1 ديسمبر 2024" in summary, summary
    rows = page.js("document.querySelectorAll('#qa-corpus tbody tr').length")
    assert rows == len(listed)

    page.js("document.querySelector('#qa-corpus-search textarea, #qa-corpus-search input').focus()")
    page.send("Input.insertText", text="قطار")
    page.wait_for("document.querySelectorAll('#qa-corpus tbody tr').length == 1", what="the search")
    page.js("document.querySelector('#qa-corpus .qa-open').click()")
    page.wait_for("!!document.querySelector('#qa-article h2')", what="the article")
    assert "قطار الرياض" in page.js("document.querySelector('#qa-article h2').innerText")
    gap = page.js("document.querySelector('#qa-article p').getBoundingClientRect().top - "
                  "document.querySelector('#qa-article h2').getBoundingClientRect().bottom")
    assert gap < 60, f"{gap}px of empty space under the article's header"
    assert page.js(CONTENT_WIDTH) == width, "the column widened when an article was opened"
    page.screenshot(shots / "app-corpus.png")
    assert_local(page.requests())


def test_injected_article_does_nothing(page, server):
    _open(page, server)
    text = ask_in_chat(page, INJECTED_QUESTION, 0)
    assert "<img" in text or "window.__pwned" in text, "the markup is shown as text"
    assert page.js("typeof window.__pwned") == "undefined"
    assert page.js("document.querySelectorAll('#qa-chat img[onerror], #qa-chat script').length") == 0
    assert page.js("Array.from(document.querySelectorAll('#qa-chat a'))"
                   ".filter(a => /^\\s*javascript:/i.test(a.getAttribute('href') || '')).length") == 0
    assert "<script>" in page.js("document.querySelector('#qa-chat .qa-source .qa-title').innerText")
    _tab(page, "المقالات")
    page.wait_for("!!document.querySelector('#qa-corpus table')", what="the corpus table")
    corpus = page.js("document.querySelector('#qa-corpus').innerText")
    assert "<img src=x onerror=" in corpus
    page.js("Array.from(document.querySelectorAll('#qa-corpus .qa-open')).find(b => b.innerText.includes('<script>'))"
            ".click()")
    page.wait_for("!!document.querySelector('#qa-article h2')", what="the injected article")
    assert page.js("document.querySelectorAll('#qa-corpus img, #qa-corpus script, #qa-article img').length") == 0
    time.sleep(0.5)
    assert page.js("typeof window.__pwned") == "undefined"
    assert_local(page.requests())


def test_ingest_tab_uploads_with_the_admin_token(page, server, shots, tmp_path):
    article = tmp_path / "app_upload.txt"
    article.write_text("اختبار الرفع\n\nأعلنت بلدية المدينة الاختبارية افتتاح حديقة عامة جديدة على ضفاف النهر "
                       "بمساحة عشرين ألف متر مربع. وقال رئيس البلدية إن الحديقة تضم ملاعب للأطفال ومسارات للمشي.\n",
                       encoding="utf-8")
    _open(page, server)
    _tab(page, "إضافة مقالات")
    page.wait_for("!!document.querySelector('#qa-token input')", what="the token box")
    assert not page.js("!!document.querySelector('#qa-files input[type=file]')"), "no uploads before the token"
    page.js("document.querySelector('#qa-token input').focus()")
    page.send("Input.insertText", text="browser-secret")
    page.js("document.querySelector('#qa-unlock').click()")
    page.wait_for("!!document.querySelector('#qa-files input[type=file]')", what="the upload box")
    document = page.send("DOM.getDocument", depth=-1, pierce=True)["root"]["nodeId"]
    node = page.send("DOM.querySelector", nodeId=document, selector="#qa-files input[type=file]")["nodeId"]
    page.send("DOM.setFileInputFiles", nodeId=node, files=[str(article)])
    page.wait_for("document.querySelector('#qa-files').innerText.includes('app_upload.txt')", what="the uploaded file")
    page.js("document.querySelector('#qa-ingest').click()")
    page.wait_for("document.body.innerText.includes('أضيف 1')", timeout=90, what="the ingest summary")
    page.wait_for("document.querySelector('#qa-ingest-table').innerText.includes('app_upload.txt')",
                  what="the per-file table")
    page.screenshot(shots / "app-ingest.png")
    table = page.js("document.querySelector('#qa-ingest-table').innerText")
    assert page.js("getComputedStyle(document.querySelector('#qa-ingest-table table')).direction") == "rtl"
    assert page.js("document.querySelector('#qa-ingest-table td').getBoundingClientRect().right") > 900
    assert "app_upload.txt" in table and "أضيف" in table
    assert "/tmp" not in table
    assert_local(page.requests())
