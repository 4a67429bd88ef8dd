# `make run` and `make test` set everything up first; both are safe to repeat.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test chat bench-load browser report-example clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/faqbot run

chat: $(STAMP)
	$(BIN)/faqbot chat

test: $(STAMP) browser
	$(BIN)/pytest

# Headless Chromium for the report's browser test (Debian's package).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# The report on a GENERATED history, as docs/report.html and docs/report.png.
report-example: $(STAMP) browser
	$(BIN)/python -m benchmarks.sample_history

bench-load: $(STAMP)
	$(BIN)/python -m benchmarks.load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
