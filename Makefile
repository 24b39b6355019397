# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run kiosk test check lint data check-data system-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,build,postgis,scale]'
	touch $@

## Serve on http://$ATLAS_HOST:$ATLAS_PORT (default 127.0.0.1:8050) with gunicorn.
run: $(VENV)/.installed
	$(BIN)/atlas serve

## Kiosk: start the server if it is not running, then Chromium full-screen on /?kiosk=1.
kiosk: $(VENV)/.installed
	sh scripts/kiosk.sh

## Performance figures (see scripts/bench.py); BENCH_ARGS="--load-seconds 600" adds the load test.
bench: $(VENV)/.test-installed system-deps
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

## Install test needs (Python extras, Debian chromium/chromium-driver, a CJK font, nodejs/npm),
## lint Python and JavaScript, run the JavaScript tests, then every Python test, browser included.
test: $(VENV)/.test-installed system-deps js-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory js-lint js-test
	$(BIN)/pytest

## The edit loop (well under a minute): lint, JavaScript tests, and the Python tests that need
## neither a browser nor a page render (-m "not browser and not slow"), on both cores.
check: $(VENV)/.test-installed js-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MAKE) --no-print-directory js-lint js-test
	$(BIN)/pytest -q -n 2 -m "not browser and not slow"

system-deps:
	sh scripts/install-system-deps.sh

lint: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Rebuild geodata/atlas.gpkg from geodata/sources (needs the 'build' extra).
data: $(VENV)/.test-installed
	$(BIN)/atlas build-data

check-data: $(VENV)/.installed
	$(BIN)/atlas check-data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules

## JavaScript (assets/*.js): ESLint and Node unit tests (tests/js). Needs node and npm.
.PHONY: js-deps js-lint js-test

# npm ci only when the lockfile is newer than the last install (npm writes this file).
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

js-deps: node_modules/.package-lock.json

js-lint: node_modules/.package-lock.json
	npx --no -- eslint assets tests/js

js-test:
	node --test tests/js/
