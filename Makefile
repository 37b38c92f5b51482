# Two commands do all the set-up on a fresh machine:
#   make benchmark   build and validate the release, score the baselines, print the leaderboard
#   make test        lint (ruff, mypy) and run the whole test suite (a real Label Studio server and a headless
#                    browser included)
# Both create .venv and install what they need the first time; `make test` also installs Debian's chromium
# (for the report and viewer tests) when it is missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: benchmark test lint browser build validate perf clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/newsgold build

validate: $(STAMP)
	$(BIN)/newsgold validate

benchmark: build validate
	$(BIN)/newsgold baselines --print

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint browser
	$(BIN)/python -m pytest

perf: $(STAMP)
	$(BIN)/python benchmarks/score_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
