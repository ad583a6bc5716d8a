# Home Visit Hub. `make run` and `make test` work on a fresh machine with Python 3.11 and nothing else.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is for a laptop: DEBUG on unless the environment says otherwise.
export DEBUG ?= 1

.PHONY: run test install migrate seed bench bench-smoke lint lock browser-deps clean

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 (or run make PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

# Installs are reproducible: exactly the versions (and hashes) of requirements.lock, made from
# pyproject.toml by `make lock`. Reinstall only when the lock changes. The project itself is not
# installed (it runs from this folder).
$(VENV)/.installed: requirements.lock | $(VENV)/bin/activate
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
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
	@echo "Stop with Ctrl-C (it stops the web server, the task worker and the scheduler)."
	$(PY) scripts/run_dev.py --host $(HOST) --port $(PORT)

test: install browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

$(VENV)/.installed-bench: requirements-bench.lock $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-bench.lock
	@touch $@

# After changing a dependency in pyproject.toml: the locks, resolved for Python 3.11 with hashes (say
# why in the commit). pip-tools runs from a throwaway folder, never from the project's venv.
lock:
	rm -rf .lock-tools && $(PYTHON) -m venv .lock-tools && .lock-tools/bin/pip install --quiet "pip-tools>=7.4,<8"
	.lock-tools/bin/pip-compile --quiet --extra test --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	.lock-tools/bin/pip-compile --quiet --extra test --extra bench --generate-hashes --strip-extras \
	  --allow-unsafe --no-emit-index-url --no-emit-find-links -c requirements.lock -o requirements-bench.lock pyproject.toml
	rm -rf .lock-tools

bench: $(VENV)/.installed-bench
	$(PY) bench/run_all.py

# Every benchmark at a tiny size for a few seconds: fails if one errors or loses a message (not on its
# figures). `.ci/run` runs it, so a benchmark that no longer runs breaks the build.
bench-smoke: $(VENV)/.installed-bench
	BENCH_SMOKE=1 $(PY) bench/run_all.py

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules .test-db.sqlite3* .test-media .pytest_cache
