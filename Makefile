# graphkit — the two commands that matter are `make demo` and `make test`.
# Both work from nothing on a machine with Python and pip: they create .venv
# when it is absent and install what they need into it.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= demo
DB     := $(DEMO)/sample.db

.DEFAULT_GOAL := help
.PHONY: help install install-test browser demo screenshot test lint format bench mutate mutations clean

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

browser: ## Install Debian's chromium for the browser tests (apt-get as root), or say how
	bash scripts/ensure-chromium

demo: install ## Build the sample corpus, write the pages, print centrality and neighbours
	@mkdir -p $(DEMO)
	$(BIN)/graphkit --db $(DB) build --sample
	$(BIN)/graphkit --db $(DB) page -o $(DEMO)/graph.html
	$(BIN)/graphkit --db $(DB) centrality --top 10
	@person="$$($(BIN)/graphkit --db $(DB) centrality --top 1 --type PERSON --format csv 2>/dev/null | tail -n 1 | cut -d, -f2)"; \
	set -x; \
	$(BIN)/graphkit --db $(DB) neighbours "$$person" --limit 8; \
	$(BIN)/graphkit --db $(DB) page -o $(DEMO)/ego.html --focus "$$person" --depth 2
	@echo "The graph pages are $(DEMO)/graph.html and $(DEMO)/ego.html: open them in a browser (they work offline)."

screenshot: demo browser ## Make docs/demo.png (the README's picture) from the demo page
	$(BIN)/python scripts/screenshot.py $(DEMO)/graph.html docs/demo.png

test: install-test lint ## Lint, then run the test suite (installs the test tools, chromium where possible)
	-@bash scripts/ensure-chromium  # if it cannot, the browser tests fail and say how to install
	$(BIN)/python -m pytest

lint: install-test ## ruff check and format check
	$(BIN)/ruff check graphkit tests benchmarks scripts
	$(BIN)/ruff format --check graphkit tests benchmarks scripts

format: install-test ## Format the code with ruff
	$(BIN)/ruff format graphkit tests benchmarks scripts
	$(BIN)/ruff check --fix graphkit tests benchmarks scripts

bench: install-test ## Run the benchmarks (reads ../shared/data when present)
	$(BIN)/python benchmarks/build.py --limit 500
	@if [ -f ../shared/data/aida/dev.jsonl ]; then \
	  $(BIN)/python benchmarks/resolution.py ../shared/data/aida/dev.jsonl --gold-mentions; \
	  $(BIN)/python benchmarks/resolution.py ../shared/data/aida/dev.jsonl; fi
	@if [ -f ../shared/data/news/bbc.jsonl ]; then \
	  $(BIN)/python benchmarks/entities.py ../shared/data/news/bbc.jsonl --limit 500; fi
	$(BIN)/python benchmarks/analysis.py --sizes 1000,10000
	$(BIN)/python benchmarks/page.py
	$(BIN)/python benchmarks/duplicates.py $(if $(wildcard ../shared/data/news/bbc.jsonl),../shared/data/news/bbc.jsonl,)
	$(BIN)/python benchmarks/web.py --limit 300
	$(BIN)/python benchmarks/robustness.py
	$(BIN)/python benchmarks/queries.py --source-limit 500 --sizes 2000,20000

# Mutation testing: slow, so never in CI. `make mutations` applies the named bugs of
# scripts/mutation_check.py one at a time (ONLY=text picks some); `make mutate` runs
# mutmut (pinned in the test extra) on the mutants of MUTANTS, e.g.
# make mutate MUTANTS='graphkit.graph.filters*'; `$(BIN)/mutmut results` lists survivors.
MUTANTS ?= graphkit.graph.filters*
ONLY ?=

mutations: install-test ## Does the suite catch the named bugs of scripts/mutation_check.py?
	$(BIN)/python scripts/mutation_check.py $(if $(ONLY),--only "$(ONLY)")

mutate: install-test ## mutmut on the modules of MUTANTS (slow; see the comment above)
	$(BIN)/mutmut run "$(MUTANTS)"

clean: ## Remove the virtualenv, demo output and caches
	rm -rf $(VENV) $(DEMO) .pytest_cache build *.egg-info mutants
