# Commonplace: `make run` serves the demo community, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app forum
HOST ?= 127.0.0.1
PORT ?= 5000
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run install test test-install lint test-postgres bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

test-install: $(VENV)/.test-installed

## Create the environment, migrate the SQLite database, seed the demo community, serve, and
## deliver: the worker (email, notifications, digests) runs in the background and stops with
## the server. With no FORUM_MAIL_SERVER, email is written to instance/mail/*.eml.
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

## Lint, then the whole suite on SQLite, with branch coverage.
test: test-install lint
	$(BIN)/python -m pytest --cov --cov-report=term $(PYTEST_ARGS)

lint: test-install
	$(BIN)/ruff check forum tests bench wsgi.py
	$(BIN)/ruff format --check forum tests bench wsgi.py

## The same suite against PostgreSQL (each run in a schema of its own); skips without a server.
## The browser journeys run their own SQLite site, so `make test` has already run them.
test-postgres: test-install
	FORUM_TEST_DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/prompt_page.py

## Screenshots of the main pages at desktop and phone sizes (the browser journeys' demo site),
## written to docs/screenshots/*.png for the README.
.PHONY: screenshots
screenshots: test-install
	FORUM_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/e2e/test_screenshots.py

## Load figures: readers and writers on SQLite + Whoosh and PostgreSQL (LOAD_ARGS="--db sqlite").
.PHONY: load
load: install
	$(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage
