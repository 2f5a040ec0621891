# `make run`: set up and run the main job; `make test`: set up and run the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test bench models clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[all]"
	touch $(BIN)/activate

setup: $(BIN)/activate

run: setup
	$(BIN)/python -m report run --out out

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m bench

# Regenerate the runtime's shipped models (runtime/models): strong-recipe training, export, Greek references.
models: setup
	$(BIN)/python -m export models

clean:
	rm -rf out .pytest_cache
