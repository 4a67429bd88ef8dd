# `make run` and `make test` set everything up first; both are safe to repeat.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test chat bench-load clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/faqbot run

chat: $(STAMP)
	$(BIN)/faqbot chat

test: $(STAMP)
	$(BIN)/pytest

bench-load: $(STAMP)
	$(BIN)/python -m benchmarks.load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
