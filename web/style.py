"""How the page looks: right to left throughout, the machine's own Arabic
fonts (nothing fetched from outside), the chat filling the window's height,
and the small script that keeps the newest answer in view."""

from __future__ import annotations

import gradio as gr

FONTS = ["Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Segoe UI", "Tahoma", "sans-serif"]
MONO_FONTS = ["ui-monospace", "Consolas", "monospace"]
# What the chat leaves for the header, tabs, filters and question box (px):
# the conversation takes the rest of the window's height.
CHAT_CHROME_PX = 330
CHAT_CHROME_PHONE_PX = 370  # the buttons wrap under the question box
CHAT_MIN_PX = 300
PHONE_PX = 640

_CSS = """
html, body, gradio-app, .gradio-container { direction: rtl; }
html { scrollbar-gutter: stable; }  /* a tab that scrolls and one that does not keep one width */
body, .gradio-container, .gradio-container * { font-family: @FONTS@; }
.gradio-container code, .gradio-container pre { font-family: @MONO@; direction: ltr; unicode-bidi: isolate; }
/* one column width whatever a tab shows: no jump when an answer or an article arrives */
.gradio-container { width: 100% !important; max-width: 1100px !important; margin: 0 auto; }
.gradio-container > .main, .gradio-container .contain { width: 100%; }
#qa-header { margin-bottom: 0; }
#qa-header h2 { margin: 0 0 .1em; }
#qa-header p { margin: 0; opacity: .8; }
.qa-answer, .qa-abstain, .qa-sources, .qa-corpus, .qa-article, .qa-summary { direction: rtl; text-align: right; }
.qa-answer-text { line-height: 1.9; }
.qa-answer-text strong { font-weight: 800; background: var(--background-fill-secondary); padding: 0 .15em;
  border-radius: 3px; }
.qa-cite { text-decoration: none; font-weight: 600; padding: 0 1px; white-space: nowrap; }
.qa-sources { margin-top: .8em; border-top: 1px solid var(--border-color-primary); padding-top: .4em;
  font-size: .92em; }
.qa-sources > summary { cursor: pointer; font-weight: 700; margin-bottom: .3em; }
.qa-sources ol, .qa-suggest ul { margin: 0; padding-inline-start: 1.4em; }
.qa-source { margin-bottom: .8em; }
.qa-source-head .qa-meta { margin-top: .1em; }
.qa-meta, .qa-count { opacity: .75; }
.qa-date { white-space: nowrap; }
.qa-window { margin: .3em 0; font-size: .9em; color: var(--body-text-color-subdued, #555); }
.qa-window-days { font-weight: 600; }
.qa-passage { margin: .3em 0 0; padding: .3em .7em; border-inline-start: 3px solid var(--color-accent);
  background: var(--background-fill-secondary); border-radius: 4px; line-height: 1.8; }
.qa-passage p { margin: .25em 0; }
.qa-passage mark { background: #fde68a; color: inherit; padding: 0 2px; border-radius: 2px; }
.dark .qa-passage mark { background: #854d0e; }
.qa-qlabel { font-weight: 800; font-size: .8em; margin-inline-end: .35em; padding: 0 .3em; border-radius: 3px;
  background: var(--color-accent); color: white; }
.qa-timeline { margin: .3em 0 .6em; }
.qa-tl-title { font-size: .85em; opacity: .75; }
.qa-tl-track { position: relative; height: 1.6em; margin: .2em .9em;
  border-bottom: 2px solid var(--border-color-primary); }
.qa-tl-dot { position: absolute; bottom: -.7em; transform: translateX(50%); min-width: 1.4em; height: 1.4em;
  line-height: 1.4em; border-radius: 50%; text-align: center; font-size: .8em; font-weight: 700;
  background: var(--color-accent); color: white; }
.qa-tl-legend { margin-top: .7em; font-size: .85em; }
.qa-abstain { border: 1px dashed #d97706; background: #fffbeb; color: #78350f; border-radius: 8px; padding: .6em .8em; }
.dark .qa-abstain { background: #451a03; color: #fde68a; }
.qa-abstain-notice, .qa-suggest-title { font-weight: 700; margin-bottom: .3em; }
.qa-note { font-size: .9em; opacity: .8; margin: .4em 0; }
.qa-error { color: #b91c1c; font-weight: 600; }
.qa-streaming .qa-answer-text::after { content: " ▍"; opacity: .6; }
#qa-chat { height: max(@MIN@px, calc(100dvh - @CHROME@px)) !important; }
@media (max-width: @PHONE@px) { #qa-chat { height: max(@MIN@px, calc(100dvh - @CHROME_PHONE@px)) !important; } }
/* the chat's own clear icon sat on the question bubble: the Arabic button below does it */
#qa-chat .top-panel, #qa-chat button[aria-label="Clear"] { display: none !important; }
.qa-corpus table, .qa-ingest table { width: 100%; border-collapse: collapse; border: none !important; }
.qa-corpus th { font-weight: 700; border-bottom: 2px solid var(--border-color-primary); }
.qa-corpus table, .qa-corpus thead, .qa-corpus tbody, .qa-corpus tr { border: none !important; }
.qa-corpus th, .qa-corpus td { text-align: right; padding: .35em .5em; vertical-align: top;
  border: none !important; border-bottom: 1px solid var(--border-color-primary) !important; }
.qa-corpus td:nth-child(2), .qa-corpus td:nth-child(3) { white-space: nowrap; }
.qa-open { all: unset; cursor: pointer; color: var(--link-text-color, var(--color-accent)); }
.qa-open:hover, .qa-open:focus-visible { text-decoration: underline; }
.qa-summary-line { font-size: 1.05em; margin: 0 0 .4em; }
.qa-by-source { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .3em .6em; }
.qa-by-source li { background: var(--background-fill-secondary); border-radius: 999px; padding: .1em .7em; }
.qa-swatch { display: inline-block; width: .75em; height: .75em; border-radius: 2px; margin-inline-end: .35em; }
.qa-article h2 { margin: 0 0 .3em; font-size: 1.25em; }
.qa-article p { line-height: 1.9; margin: 0 0 .8em; }
.qa-notice { padding: .6em .8em; border-radius: 8px; background: var(--background-fill-secondary); }
"""

# The page is right to left, not only the chat. A new question scrolls to the
# top of the chat so its answer starts in view (Gradio's own autoscroll, off,
# would show the answer's end); a marker opens its folded sources.
HEAD = """<meta name="color-scheme" content="light dark">
<script>
(function () {
  var root = document.documentElement;
  root.setAttribute("dir", "rtl");
  root.setAttribute("lang", "ar");
  function scroller(el) {
    for (var n = el.parentElement; n; n = n.parentElement) {
      var s = getComputedStyle(n).overflowY;
      if ((s === "auto" || s === "scroll") && n.scrollHeight > n.clientHeight) return n;
    }
    return null;
  }
  // The newest question is pinned to the top of the chat while its answer
  // streams in below it, until it gets there or the reader scrolls.
  function pin(chat) {
    var asked = chat.querySelectorAll(".message-row.user-row");
    if (asked.length !== chat.__qaAsked) {
      chat.__qaAsked = asked.length;
      chat.__qaPin = asked.length ? asked[asked.length - 1] : null;
    }
    var bubble = chat.__qaPin;
    if (!bubble || !bubble.isConnected) return;
    var box = scroller(bubble);
    if (!box) return;
    var offset = bubble.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    if (Math.abs(offset) < 2) { chat.__qaPin = null; return; }
    box.scrollTop += offset;
  }
  function unpin(e) {
    var chat = e.target.closest && e.target.closest("#qa-chat");
    if (chat) chat.__qaPin = null;
  }
  ["wheel", "touchmove", "keydown"].forEach(function (kind) {
    document.addEventListener(kind, unpin, {passive: true});
  });
  new MutationObserver(function () {
    var chat = document.getElementById("qa-chat");
    if (chat) pin(chat);
  }).observe(document, {childList: true, subtree: true, characterData: true});
  document.addEventListener("click", function (e) {
    var cite = e.target.closest && e.target.closest("a.qa-cite");
    if (!cite) return;
    var target = document.getElementById(cite.getAttribute("href").slice(1));
    if (!target) return;
    e.preventDefault();
    var folded = target.closest("details");
    if (folded) folded.open = true;
    target.scrollIntoView({block: "center", behavior: "smooth"});
  });
  document.addEventListener("DOMContentLoaded", function () { document.body.setAttribute("dir", "rtl"); });
})();
</script>"""


def _font_list(fonts: list[str]) -> str:
    return ", ".join(f'"{f}"' if " " in f else f for f in fonts)


CSS = (_CSS.replace("@FONTS@", _font_list(FONTS)).replace("@MONO@", _font_list(MONO_FONTS))
       .replace("@MIN@", str(CHAT_MIN_PX)).replace("@CHROME_PHONE@", str(CHAT_CHROME_PHONE_PX))
       .replace("@CHROME@", str(CHAT_CHROME_PX)).replace("@PHONE@", str(PHONE_PX)))


def chat_height() -> str:
    """The chat's height before the page's CSS applies (which adapts it to phones)."""
    return f"max({CHAT_MIN_PX}px, calc(100vh - {CHAT_CHROME_PX}px))"


def theme() -> gr.themes.ThemeClass:
    return gr.themes.Soft(font=FONTS, font_mono=MONO_FONTS)
