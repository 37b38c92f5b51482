# Two commands do all the set-up on a fresh machine:
#   make benchmark   build and validate the release, score the baselines, print the leaderboard
#   make test        lint (ruff, mypy) and run the whole test suite (a real Label Studio server and a headless
#                    browser included)
# Both create .venv and install what they need the first time. The report, viewer and editor tests need
# Chromium: `make test` installs Debian's chromium when it is missing and it may (as root, or under CI=true,
# where a skipped browser test is a failure), and says so before apt-get runs. Elsewhere those tests skip with
# one line naming `make browser`, which installs it (through sudo when not root).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)
# `make test` installs Chromium itself only where it may: as root, or under CI (which must run the browser tests).
INSTALL_BROWSER := $(if $(CHROMIUM),,$(if $(filter true 1 yes,$(shell echo '$(CI)' | tr A-Z a-z))$(if $(SUDO),,root),browser))

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
ifeq ($(CHROMIUM),)
	@echo "make browser: installing Debian's chromium package with $(strip $(SUDO) apt-get) (for the report, viewer and editor tests)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium
else
	@echo "make browser: $(CHROMIUM) is installed"
endif

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint $(INSTALL_BROWSER)
	$(BIN)/python -m pytest

perf: $(STAMP)
	$(BIN)/python benchmarks/score_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
