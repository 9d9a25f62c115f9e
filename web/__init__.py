"""The web chat: one module per job.

- ``server``: the one server (page, Gradio API, JSON routes), its start-up and lifecycle
- ``http_api``, ``limits``, ``uploads``, ``auth``: the JSON routes, request limits, upload handling, the admin gate
- ``layout`` and ``tabs/``: the page, a module per tab; ``chat``, ``ingest``: their handlers
- ``render``, ``excerpt``, ``corpus_view``, ``dates``, ``wording``, ``escape``: HTML from answers and articles
- ``style``: CSS, fonts, the page's small script
"""

from index.settings import environment_defaults

environment_defaults()  # before any module here imports gradio: nothing may phone home
