"""The page: a header and one tab per module in ``TABS``.

A tab module has ``TITLE``, ``ID`` and ``build(page)``; it makes its
components and wires its events. What a tab shows of the store it registers
with ``page.on_store_change``, so an ingest (or a tab's refresh) updates every
tab. Adding a tab is a new module and a line here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import gradio as gr

from index.settings import Settings
from qa.api import QA

from .chat import make_ask_api
from .tabs import chat_tab, corpus_tab, ingest_tab

TABS = (chat_tab, corpus_tab, ingest_tab)
TITLE = "أسئلة الأخبار العربية"
HEADER = "## اسأل الأخبار\nأجوبة قصيرة من المقالات المخزنة، وكل جملة تذكر مصدرها."
# Uploads the ingest tab was given but never ingested are deleted after an hour.
UPLOAD_CACHE_S = (3600, 3600)


@dataclass
class Page:
    qa: QA
    settings: Settings
    refreshers: list[tuple[Callable, list]] = field(default_factory=list)
    changes: list = field(default_factory=list)

    def on_store_change(self, fn: Callable, outputs: list) -> None:
        """Call ``fn()`` for fresh values of ``outputs`` whenever the store changes."""
        self.refreshers.append((fn, outputs))

    def store_changed_by(self, event) -> None:
        """After ``event`` (an ingest, a refresh click) every tab refreshes."""
        self.changes.append(event)

    def wire(self) -> None:
        for event in self.changes:
            for fn, outputs in self.refreshers:
                event = event.then(fn, None, outputs, api_visibility="private")


def build_app(qa: QA, settings: Settings | None = None) -> gr.Blocks:
    """The Gradio page. Serve it with ``web.server.make_server``."""
    page = Page(qa, settings or qa.settings)
    with gr.Blocks(title=TITLE, fill_width=False, delete_cache=UPLOAD_CACHE_S) as blocks:
        gr.Markdown(HEADER, rtl=True, elem_id="qa-header")
        with gr.Tabs():
            for tab in TABS:
                with gr.Tab(tab.TITLE, id=tab.ID):
                    tab.build(page)
        page.wire()
        gr.api(make_ask_api(qa), api_name="ask")
    blocks.qa_page = page
    return blocks
