# graphkit — the two commands that matter are `make demo` and `make test`.
# Both work from nothing on a machine with Python and pip: they create .venv
# when it is absent and install what they need into it.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= demo
DB     := $(DEMO)/sample.db

.DEFAULT_GOAL := help
.PHONY: help install install-test demo test lint format bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed ## Create .venv and install graphkit into it

install-test: $(VENV)/.installed-test ## Install graphkit with its test tools

demo: install ## Build the sample corpus, write the page, print centrality and neighbours
	@mkdir -p $(DEMO)
	$(BIN)/graphkit --db $(DB) build --sample
	$(BIN)/graphkit --db $(DB) page -o $(DEMO)/graph.html
	$(BIN)/graphkit --db $(DB) centrality --top 10
	$(BIN)/graphkit --db $(DB) neighbours "$$($(BIN)/graphkit --db $(DB) centrality --top 1 --type PERSON --format csv | tail -n 1 | cut -d, -f2)" --limit 8
	@echo "The graph page is $(DEMO)/graph.html: open it in a browser (it works offline)."

test: install-test ## Install the test tools and run the test suite
	$(BIN)/python -m pytest

lint: install-test ## ruff check and format check
	$(BIN)/ruff check graphkit tests benchmarks
	$(BIN)/ruff format --check graphkit tests benchmarks

format: install-test ## Format the code with ruff
	$(BIN)/ruff format graphkit tests benchmarks
	$(BIN)/ruff check --fix graphkit tests benchmarks

bench: install-test ## Run the benchmarks (reads ../shared/data when present)
	$(BIN)/python benchmarks/run_all.py

clean: ## Remove the virtualenv, demo output and caches
	rm -rf $(VENV) $(DEMO) .pytest_cache build *.egg-info
