# Two commands: `make run` starts Small Steps, `make test` checks all of it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-later lint format setup clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## setup: install, make the instance keys, apply migrations, compress the static files
setup: $(VENV)/.installed
	$(FLASK) secret init
	$(FLASK) vapid init
	$(FLASK) db upgrade
	$(FLASK) assets build

## run: serve the app at http://127.0.0.1:5000, with the nudge dispatcher beside it
run: setup
	$(BIN)/python -m smallsteps.launcher -- --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile /dev/stderr wsgi:app

# axe-core for the accessibility tests (pinned in package.json/package-lock.json, never served).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm is not installed: the accessibility tests will be skipped" >&2; \
	fi

## test: lint, check formatting, run every test
test: $(VENV)/.installed-test $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n auto --dist loadgroup

## test-later: the non-browser suite on SQLite with the clock 400 days ahead (Debian's faketime)
test-later: $(VENV)/.installed-test
	faketime -f +400d $(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser and not postgres"

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules
