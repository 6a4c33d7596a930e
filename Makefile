# tradecoop — every target bootstraps what it needs on a fresh machine:
# uv (installed with pip if missing), .venv, and the locked dependencies from uv.lock.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
VENV_STAMP := .venv/.synced-stamp
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: help demo test lint bench serve bundle clean

help: ## list targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(UV):
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

$(VENV_STAMP): pyproject.toml uv.lock | $(UV)
	@UV_BIN=$$(command -v uv || echo "$(UV)"); $$UV_BIN sync --frozen --all-groups
	@touch $@

demo: $(VENV_STAMP) ## the main job: Belarus-Russia briefing pack (HTML + PDF in out/) from the bundled data
	@.venv/bin/tradecoop demo

test: $(VENV_STAMP) ## the whole suite: unit, property, validation, integration
	.venv/bin/python -m pytest $(PYTEST_ARGS)

lint: $(VENV_STAMP) ## ruff
	.venv/bin/ruff check src tests benchmarks scripts

bench: $(VENV_STAMP) ## benchmarks against the reference packages (writes docs/benchmarks.md tables)
	.venv/bin/python benchmarks/run_all.py

serve: $(VENV_STAMP) ## REST API on http://127.0.0.1:8000
	.venv/bin/tradecoop serve

bundle: $(VENV_STAMP) ## rebuild the bundled Parquet files from ../shared/data/raw
	.venv/bin/python scripts/build_bundled.py

clean:
	rm -rf .venv .pytest_cache .ruff_cache
