# `make run` starts Viva on its embedded defaults; `make test` runs the whole test suite.
# Both create .venv and install Viva into it when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint bench fixtures clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/viva serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/viva check

lint: $(STAMP)
	$(BIN)/ruff check app tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py

fixtures:
	bash tests/fixtures/make_fixtures.sh

clean:
	rm -rf $(VENV) build *.egg-info
