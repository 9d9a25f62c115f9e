"""One server: the Gradio page at ``/``, its API endpoint ``ask`` (for
``gradio_client``) and the JSON routes of ``web.http_api``, behind the
request limits of ``web.limits``.

    python app.py                       # http://127.0.0.1:7860 (0.0.0.0:7860 on a Space)
    qa serve --store DIR --port 8000    # the same
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from pathlib import Path

from index.settings import Settings, environment_defaults

environment_defaults()

import gradio as gr  # noqa: E402  (after the offline switches)
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402

from index.seed import seed_if_empty  # noqa: E402
from qa.api import QA  # noqa: E402

from .http_api import add_routes  # noqa: E402
from .layout import build_app  # noqa: E402
from .limits import BodyTooLarge, RequestLimits  # noqa: E402
from .style import CSS, HEAD, theme  # noqa: E402

log = logging.getLogger(__name__)
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
GRACEFUL_SHUTDOWN_S = 5  # open browser tabs hold event streams; don't wait on them forever
MB = 1024 * 1024


def resolve_settings(settings: Settings | None = None) -> Settings:
    """``Settings.from_env``; on a Hugging Face Space (``SPACE_ID`` set) the
    app must listen on 0.0.0.0:7860."""
    settings = settings or Settings.from_env()
    if os.environ.get("SPACE_ID"):
        settings = settings.replace(host="0.0.0.0", port=7860)
    return settings


def open_qa(settings: Settings, samples: Path = SAMPLES) -> QA:
    """Open the store, creating an embedded one that is missing; an empty
    store is filled from ``samples`` (``index.seed``)."""
    qa = QA(settings, create=not settings.uses_server)
    seed_if_empty(qa.store, settings, samples)
    return qa


def launch_options(settings: Settings) -> dict:
    """What the page needs wherever it is served: theme, CSS, head, no footer extras."""
    return dict(theme=theme(), css=CSS, head=HEAD, footer_links=["api"], ssr_mode=False, mcp_server=False,
                max_file_size=int(settings.max_file_mb * MB), show_error=True)


def make_server(qa: QA, settings: Settings | None = None, blocks: gr.Blocks | None = None) -> FastAPI:
    """A FastAPI app: the JSON routes, with the Gradio page mounted at ``/``."""
    settings = settings or qa.settings
    server = FastAPI(title="Arabic news QA", docs_url=None, redoc_url=None, openapi_url=None)

    @server.exception_handler(BodyTooLarge)
    async def too_large(_request: Request, exc: BodyTooLarge):
        return JSONResponse({"error": exc.detail}, status_code=413)

    add_routes(server, qa, settings)
    server.add_middleware(RequestLimits, settings=settings)
    blocks = blocks or build_app(qa, settings)
    return gr.mount_gradio_app(server, blocks, path="/", server_name=settings.host, server_port=settings.port,
                               **launch_options(settings))


@contextlib.contextmanager
def serve_in_background(qa: QA, settings: Settings | None = None, port: int = 0):
    """Run the server in a thread (tests, notebooks); yields its base url.
    ``port=0`` picks a free one."""
    import uvicorn

    settings = settings or qa.settings
    config = uvicorn.Config(make_server(qa, settings), host=settings.host, port=port, log_level="warning",
                            lifespan="on", timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="qa-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app server did not start")
        time.sleep(0.05)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{settings.host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def configure_logging() -> None:
    """Warnings from everything; what the app and the ingester did, as info."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for name in ("web", "index.seed", "index.build"):
        logging.getLogger(name).setLevel(logging.INFO)


def main(settings: Settings | None = None) -> None:
    """Serve the app (``python app.py``, ``qa serve``)."""
    import uvicorn

    configure_logging()
    settings = resolve_settings(settings)
    try:
        qa = open_qa(settings)
    except ValueError as exc:  # a setting that cannot work (QA_LLM_URL, say): one line, no traceback
        raise SystemExit(f"error: {exc}") from None
    qa.warm_up()
    server = make_server(qa, settings)
    shown = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    print(f"serving {qa.store.location} on http://{shown}:{settings.port}", flush=True)
    uvicorn.run(server, host=settings.host, port=settings.port, log_level="warning",
                timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)
