#!/usr/bin/env bash
# Set everything up and run the web chat on the embedded default store
# (built from samples/ on first start). Opens http://127.0.0.1:7860
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 GRADIO_ANALYTICS_ENABLED=False
exec .venv/bin/python app.py "$@"
