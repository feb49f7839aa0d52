# Symbiote: `make demo` installs and indexes this repository; `make check` installs the
# test extras and runs format check, lint, types and tests (what CI runs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo check test lint types install install-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(PIP) install -e .

install-test: $(BIN)/python
	$(PIP) install -e '.[test]'

demo: install
	$(BIN)/symbiote index . --wait-embed

lint: install-test
	$(BIN)/ruff format --check symbiote indexer queries cli tests bench fuzz harness
	$(BIN)/ruff check symbiote indexer queries cli tests bench fuzz harness

types: install-test
	$(BIN)/mypy

test: install-test
	$(BIN)/python -m pytest -q

check: lint types test

bench: install
	$(BIN)/python bench/index_bench.py --help

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
