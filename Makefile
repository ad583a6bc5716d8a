# Home Visit Hub. `make run` and `make test` work on a fresh machine with Python 3.11 and nothing else.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is for a laptop: DEBUG on unless the environment says otherwise.
export DEBUG ?= 1

.PHONY: run test install migrate seed bench lint browser-deps clean

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 (or run make PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(VENV)/bin/pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

browser-deps: node_modules/axe-core/axe.min.js
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-nginx.sh

migrate: install
	$(PY) manage.py migrate --no-input -v0

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo ""
	@echo "Home Visit Hub: http://$(HOST):$(PORT)/   (content admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Stop with Ctrl-C."
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) hub.asgi:application

test: install browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -e ".[test,bench]"
	@touch $@

bench: $(VENV)/.installed-bench
	$(PY) bench/run_all.py

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules .test-db.sqlite3* .test-media .pytest_cache
