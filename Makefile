# Two commands: `make demo` sets up and runs the main job on the embedded broker; `make test` sets up and
# passes the tests (what .ci/run calls). Both create .venv on first use.
# The interpreter .venv is made from: the distribution's /usr/bin/python3.11 where it can make a venv (Debian's
# has libpython linked into the executable; pyenv's default source build is a shared libpython built without
# --enable-optimizations), else python3. On the 2-core test machine the worker ran 11-27 % more articles/s on
# Debian's 3.11.2 than on pyenv's 3.11.7 (docs/streaming.md, "The interpreter's build").
# `make PYTHON=/path/to/python3.x` chooses another; delete .venv first.
PYTHON ?= $(or $(shell for candidate in /usr/bin/python3.11 python3; do \
	"$$candidate" -c 'import ensurepip, venv' 2>/dev/null && echo "$$candidate" && break; done),python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

demo: install
	$(BIN)/newsflow dev

lint: install-test
	$(BIN)/ruff check workers tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

bench: install
	$(BIN)/python bench/text_pipeline.py
