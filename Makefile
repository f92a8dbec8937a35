# `make run` starts Viva on its embedded defaults; `make test` runs the whole test suite.
# Both create .venv and install Viva into it when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The smart-turn model file (app/voice/smart_turn.py) ships in this wheel; only the file is used, so the
# framework's own dependencies are not installed.
TURN_MODEL_PKG := pipecat-ai==1.14.0

.PHONY: run test check lint bench fixtures clean llm llm-setup llm-stop run-llm stt-server frontend

# faster-whisper-server (an OpenAI-compatible STT server) in its own venv: its pins differ from Viva's.
# Used by tests/serve/test_remote_stt.py and the compose deployment's "stt" service.
STT_VENV := .venv-stt
$(STT_VENV)/.installed:
	$(PYTHON) -m venv $(STT_VENV)
	$(STT_VENV)/bin/pip install 'faster-whisper-server==0.0.3'
	touch $@

stt-server: $(STT_VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[dev,voice]'
	$(BIN)/pip install --no-deps '$(TURN_MODEL_PKG)'
	touch $(STAMP)

# The room's code editor: CodeMirror from npm (pinned by frontend/package-lock.json), bundled with esbuild
# into frontend/dist/ (gitignored). Needs Node.js >= 18.
EDITOR_BUNDLE := frontend/dist/editor.js
$(EDITOR_BUNDLE): frontend/package.json frontend/package-lock.json frontend/editor/main.js
	@command -v npm >/dev/null || { echo "The code editor needs Node.js >= 18 with npm (Debian: apt-get install nodejs npm)"; exit 1; }
	cd frontend && npm ci --no-audit --no-fund && npm run build

frontend: $(EDITOR_BUNDLE)

run: $(STAMP) $(EDITOR_BUNDLE)
	$(BIN)/viva serve --host 127.0.0.1 --port 8000

test: $(STAMP) $(EDITOR_BUNDLE)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/viva check

lint: $(STAMP)
	$(BIN)/ruff check app tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/store_commit.py

# The local LLM (scripts/llm.sh): llama-cpp-python built from source + the pinned Qwen2.5-Coder-1.5B GGUF.
llm:
	bash scripts/llm.sh start

llm-setup:
	bash scripts/llm.sh setup

llm-stop:
	bash scripts/llm.sh stop

run-llm: $(STAMP)
	VIVA_LLM_BASE_URL=http://127.0.0.1:8091/v1 VIVA_LLM_MODEL=qwen $(BIN)/viva serve --host 127.0.0.1 --port 8000

fixtures:
	bash tests/fixtures/make_fixtures.sh

clean:
	rm -rf $(VENV) $(STT_VENV) build *.egg-info frontend/node_modules frontend/dist
