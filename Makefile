# `make run` and `make test` set everything up first; both are safe to repeat.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test chat eval bench clean

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

# Curators: run after editing the corpus. Tuning set with every failed question, then the held-out
# set as the CI gate sees it (figures only).
eval: $(STAMP)
	$(BIN)/faqbot eval eval/tuning.yaml
	$(BIN)/faqbot eval eval/heldout.yaml --summary-only

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_matching

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
