"""A real ``chroma run`` server on loopback for tests.

    server = ChromaServer(tmp_path / "chroma")   # a free port on 127.0.0.1
    server.start()                                # waits for its heartbeat
    ... Settings(chroma_host=server.host, chroma_port=server.port) ...
    server.stop(); server.start()                 # same data, same port: a restart
    server.stop()

``chroma_server`` is the pytest fixture; tests using it are skipped (with the
reason) when the ``chroma`` binary is not installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

HOST = "127.0.0.1"
START_TIMEOUT = 60.0


def chroma_binary() -> str | None:
    beside = Path(sys.executable).with_name("chroma")
    return str(beside) if beside.exists() else shutil.which("chroma")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class ChromaServer:
    def __init__(self, path: Path, port: int | None = None, log: Path | None = None):
        self.path = Path(path)
        self.host = HOST
        self.port = port or free_port()
        self.log = Path(log) if log else self.path.parent / f"chroma-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    def start(self, timeout: float = START_TIMEOUT) -> "ChromaServer":
        binary = chroma_binary()
        if binary is None:
            raise RuntimeError("the `chroma` binary is not installed (pip install chromadb)")
        self.path.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [binary, "run", "--path", str(self.path), "--host", self.host, "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma exited with {self.process.returncode}: {self.tail()}")
            if self.alive():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"chroma did not answer its heartbeat within {timeout:.0f}s: {self.tail()}")

    def stop(self, kill: bool = False) -> None:
        """Stop the server (SIGTERM, or SIGKILL with ``kill``) and wait for it."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        deadline = time.monotonic() + 10  # until the port no longer answers
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)

    def restart(self) -> "ChromaServer":
        self.stop()
        return self.start()

    def tail(self, chars: int = 2000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def __enter__(self) -> "ChromaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@pytest.fixture
def chroma_server(tmp_path):
    """A fresh ``chroma run`` on a free loopback port, stopped afterwards."""
    if chroma_binary() is None:
        pytest.skip("the `chroma` binary is not installed")
    server = ChromaServer(tmp_path / "chroma-server")
    server.start()
    try:
        yield server
    finally:
        server.stop()
