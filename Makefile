# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run kiosk test lint data check-data system-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,build]'
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

## Install test needs (Python extras, Debian chromium/chromium-driver, a CJK font), lint, test.
test: $(VENV)/.test-installed system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

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
	rm -rf $(VENV) .pytest_cache .ruff_cache
