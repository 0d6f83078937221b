# Partner Hub: one entry point for every chore. `make run` and `make test` set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: run test test-fast site check bench bench-smoke bench-run audit lint clean chromium postgresql

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Installs are stamped against pyproject.toml, so a changed dependency reinstalls and nothing else does.
$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(VENV)/.run-installed $@

## run: install, check content, build the site, seed demo data on first start, serve site + app on loopback
run: $(VENV)/.run-installed
	$(BIN)/partnerhub serve

## site: check content and build the static site into site/
site: $(VENV)/.run-installed
	$(BIN)/partnerhub check
	$(BIN)/mkdocs build --strict

check: $(VENV)/.run-installed
	$(BIN)/partnerhub check

## chromium: Debian's Chromium (never `playwright install`) and a Chinese font for the browser tests' screenshots
chromium:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei; \
	fi

## postgresql: Debian's PostgreSQL server binaries; the tests start a throwaway server of their own with them
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; \
	fi

## test: install test dependencies, Chromium and PostgreSQL, then run every test, browser tests included
test: $(VENV)/.test-installed chromium postgresql
	$(BIN)/pytest

test-fast: $(VENV)/.test-installed postgresql
	$(BIN)/pytest -m "not e2e and not slow"

## bench: benchmarks, each figure beside a reference measured in the same run
bench: $(VENV)/.test-installed postgresql
	$(MAKE) --no-print-directory bench-run

## bench-smoke: every benchmark at a tiny scale (HUB_BENCH_SMOKE=1), to prove they run; `make test` runs it
bench-smoke: $(VENV)/.test-installed postgresql
	$(MAKE) --no-print-directory bench-run HUB_BENCH_SMOKE=1

# the benchmarks themselves; HUB_BENCH_SMOKE (exported by make when given) picks the scale
bench-run:
	$(BIN)/python bench/site_build.py
	$(BIN)/python bench/durable_write.py
	$(BIN)/python bench/store.py
	$(BIN)/python bench/app_pages.py
	$(BIN)/python bench/app_load.py
	$(BIN)/python bench/postgres_contention.py

## audit: Lighthouse scores of the built site (en + zh), with the system Chromium
audit: site chromium
	$(BIN)/python tools/audit.py

lint: $(VENV)/.test-installed
	$(BIN)/ruff check hub_app tests bench tools
	$(BIN)/ruff format --check hub_app tests bench tools
	$(BIN)/mypy

clean:
	rm -rf site artifacts .pytest_cache
