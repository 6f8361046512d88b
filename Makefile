# Two commands: `make run` starts Small Steps, `make test` checks all of it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-later lint format setup clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The languages Small Steps speaks besides English; a new one starts with `make translations`.
LANGUAGES := ar de es fr
# The catalogs translators write (.po), compiled for the app to read (.mo, not committed).
TRANSLATIONS := smallsteps/translations
COMPILED := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/*.po))
%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel -q compile -i $< -o $@

# What every catalog says first, to whoever translates it.
export VOICE := \# Translators: Small Steps is for people changing something hard in their lives, one small step at a time. Its voice is warm, short and never shaming: rest is part of it, never a lapse; add rather than subtract; celebrate small things. Address the person informally where your language allows (tú, du, tu), as a kind friend would.

## translations: gather every translatable text into the templates (.pot) and update each language's catalog
translations: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k N_ -c Translators: --sort-by-file \
		--project "Small Steps" --msgid-bugs-address "" --header-comment "$$VOICE" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q extract -F babel-js.cfg -k t -k nt:1,2 -c Translators: --sort-by-file \
		--project "Small Steps" --msgid-bugs-address "" --header-comment "$$VOICE" -o $(TRANSLATIONS)/js.pot .
	for domain in messages js; do for language in $(LANGUAGES); do \
		if [ -f $(TRANSLATIONS)/$$language/LC_MESSAGES/$$domain.po ]; then action=update; else action=init; fi; \
		$(BIN)/pybabel -q $$action -D $$domain -l $$language -i $(TRANSLATIONS)/$$domain.pot -d $(TRANSLATIONS) \
			$$([ $$action = update ] && echo --ignore-obsolete); \
	done; done

## setup: install, make the instance keys, apply migrations, compress the static files
setup: $(VENV)/.installed $(COMPILED)
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
test: $(VENV)/.installed-test $(AXE) $(COMPILED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n auto --dist loadgroup

## test-later: the non-browser suite on SQLite with the clock 400 days ahead (Debian's faketime)
test-later: $(VENV)/.installed-test $(COMPILED)
	faketime -f +400d $(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser and not postgres"

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules
