# Two commands: `make demo` sets up and runs the main job on the embedded broker; `make test` sets up and
# passes the tests (what .ci/run calls). Both create .venv on first use.
# The interpreter .venv is made from: the distribution's /usr/bin/python3.11 where it is (Debian's has libpython
# linked into the executable and an optimizing build; pyenv's default source build loads a shared libpython),
# else python3. On the 2-core test machine the worker ran 11-27 % more articles/s on Debian's 3.11.2 than on
# pyenv's 3.11.7 (README, "Measured"). `make PYTHON=/path/to/python3.x` chooses another; delete .venv first.
PYTHON ?= $(shell for candidate in /usr/bin/python3.11 python3; do \
	"$$candidate" -c 'import ensurepip, venv' 2>/dev/null && echo "$$candidate" && break; done)
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
