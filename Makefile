# `make run` and `make test` set everything up first; both are safe to repeat.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test chat bench-load clean audit

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	FAQBOT_LOCAL_MODE=1 $(BIN)/faqbot run

chat: $(STAMP)
	$(BIN)/faqbot chat

test: $(STAMP)
	$(BIN)/pytest

bench-load: $(STAMP)
	$(BIN)/python -m benchmarks.load $(BENCH_ARGS)

# Dependency audit (security/audit.py): pip-audit lives in its own venv so its dependencies
# are not audited as ours.
AUDIT_VENV := .venv-audit
$(AUDIT_VENV)/.installed:
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet pip-audit==2.10.1
	touch $@

audit: $(STAMP) $(AUDIT_VENV)/.installed
	$(BIN)/python security/audit.py $(BIN)/python $(AUDIT_VENV)/bin/pip-audit

# Curators: run after editing the corpus. Tuning set with every failed question, then the held-out
# set as the CI gate sees it (figures only).
eval: $(STAMP)
	$(BIN)/faqbot eval eval/tuning.yaml
	$(BIN)/faqbot eval eval/heldout.yaml --summary-only

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_matching

clean:
	rm -rf $(VENV) $(AUDIT_VENV) .pytest_cache .hypothesis
