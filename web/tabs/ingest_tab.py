"""The ingest tab: behind the admin token, upload files and see a row per
article as it goes in. Without ``QA_ADMIN_TOKEN`` it says writing is off."""

from __future__ import annotations

import gradio as gr

from index.read import ACCEPTED_SUFFIXES

from ..ingest import GET_UPLOAD_PASS, make_ingest, make_unlock

TITLE = "إضافة مقالات"
ID = "ingest"


def build(page) -> None:
    settings = page.settings
    enabled = bool(settings.admin_token)
    kinds = " أو ".join(f"`{s}`" for s in ACCEPTED_SUFFIXES)
    gr.Markdown(f"أدخل رمز المشرف، ثم ارفع ملفات {kinds}؛ تُضاف المقالات الجديدة وتُحدّث المتغيرة."
                if enabled else "**الكتابة معطلة:** لم يُضبط رمز المشرف (`QA_ADMIN_TOKEN`) على الخادم، "
                "فلا يمكن رفع ملفات ولا إضافة مقالات من هنا.", rtl=True, elem_id="qa-ingest-note")
    with gr.Row(equal_height=True):
        token_box = gr.Textbox(label="رمز المشرف", type="password", interactive=enabled, rtl=True, scale=4,
                               elem_id="qa-token")
        unlock_btn = gr.Button("تحقق من الرمز", interactive=enabled, scale=1, elem_id="qa-unlock")
    files = gr.File(file_count="multiple", file_types=list(ACCEPTED_SUFFIXES), label="الملفات", interactive=False,
                    elem_id="qa-files")
    ingest_btn = gr.Button("أدخل", variant="primary", interactive=False, elem_id="qa-ingest")
    status = gr.Markdown("", rtl=True, elem_id="qa-ingest-status")
    table = gr.HTML("", elem_id="qa-ingest-table", js_on_load=None)

    unlock_io = dict(outputs=[status, files, ingest_btn], api_visibility="private")
    unlock_btn.click(make_unlock(settings), token_box, js=GET_UPLOAD_PASS, **unlock_io)
    token_box.submit(make_unlock(settings), token_box, js=GET_UPLOAD_PASS, **unlock_io)
    done = ingest_btn.click(make_ingest(page.qa, settings), [files, token_box], [status, table],
                            api_visibility="private")
    page.store_changed_by(done.then(lambda: None, None, files, api_visibility="private"))
