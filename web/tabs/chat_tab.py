"""The chat tab: the conversation filling the window, the question box under
it, example questions in the empty chat, and folded source/date filters."""

from __future__ import annotations

import gradio as gr

from qa.examples import example_questions

from ..chat import make_chat, make_example_chat
from ..style import chat_height

TITLE = "المحادثة"
ID = "chat"
N_EXAMPLES = 4
DATE_HINT = "سنة، أو سنة-شهر، أو يوم: 2021 أو 2021-04 أو 2021-04-26"
PLACEHOLDER = "اسأل عن الأخبار المخزنة، أو اختر سؤالاً من الأمثلة."


def examples_for(qa) -> list[dict]:
    return [{"text": q} for q in example_questions(qa, N_EXAMPLES)]


def build(page) -> None:
    qa = page.qa
    chat, retry = make_chat(qa)
    with gr.Accordion("تصفية: المصدر والتاريخ", open=False, elem_id="qa-filters"):
        with gr.Row():
            source_box = gr.Dropdown(choices=qa.sources(), multiselect=True, label="المصدر",
                                     info="كل المصادر إن تُرك فارغاً", scale=2)
            since_box = gr.Textbox(label="من تاريخ", placeholder="مثلاً 2021-04-01", info=DATE_HINT, rtl=True,
                                   scale=1, elem_id="qa-since")
            until_box = gr.Textbox(label="إلى تاريخ", placeholder="مثلاً 2021-12-31", info=DATE_HINT, rtl=True,
                                   scale=1, elem_id="qa-until")
    chatbot = gr.Chatbot(label="المحادثة", show_label=False, rtl=True, elem_id="qa-chat", autoscroll=False,
                         height=chat_height(), feedback_options=None, buttons=["copy"], layout="bubble",
                         placeholder=PLACEHOLDER, examples=examples_for(qa))
    with gr.Row(equal_height=True, elem_id="qa-ask-row"):
        question_box = gr.Textbox(label="سؤالك", show_label=False, placeholder="اكتب سؤالك هنا…", rtl=True,
                                  lines=1, max_lines=4, scale=6, min_width=200, elem_id="qa-question",
                                  autofocus=True)
        send = gr.Button("أرسل", variant="primary", scale=1, min_width=70, elem_id="qa-send")
        retry_btn = gr.Button("أعد المحاولة", size="sm", scale=0, min_width=90, elem_id="qa-retry")
        clear_btn = gr.Button("مسح المحادثة", size="sm", scale=0, min_width=90, elem_id="qa-clear")

    turns = gr.State([])
    last = gr.State("")
    filters = [source_box, since_box, until_box]
    chat_io = dict(outputs=[question_box, chatbot, turns, last], api_visibility="private")
    send.click(chat, [question_box, chatbot, turns, *filters], **chat_io)
    question_box.submit(chat, [question_box, chatbot, turns, *filters], **chat_io)
    chatbot.example_select(make_example_chat(chat), [chatbot, turns, *filters], **chat_io)
    retry_btn.click(retry, [chatbot, turns, last, *filters], **chat_io)
    clear_btn.click(lambda: ("", [], [], ""), None, **chat_io, queue=False)
    chatbot.clear(lambda: ([], ""), None, [turns, last], api_visibility="private", queue=False)
    page.on_store_change(lambda: (gr.Dropdown(choices=qa.sources()), gr.Chatbot(examples=examples_for(qa))),
                         [source_box, chatbot])
