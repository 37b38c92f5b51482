# Two commands do all the set-up on a fresh machine:
#   make benchmark   build and validate the release, score the baselines, print the leaderboard
#   make test        lint and run the whole test suite (a real Label Studio server included)
# Both create .venv and install what they need the first time.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: benchmark test lint build validate perf clean

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

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

perf: $(STAMP)
	$(BIN)/python benchmarks/score_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
