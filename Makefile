# tradecoop — every target bootstraps what it needs on a fresh machine:
# uv (installed with pip if missing), .venv, and the locked dependencies from uv.lock.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
VENV_STAMP := .venv/.synced-stamp
BYTECODE_STAMP := .venv/.bytecode-stamp
#: the project's own modules: the bytecode stamp is redone when one of them changes
SRC_PY := $(shell find src -name '*.py' 2>/dev/null)
# Bytecode is compiled at install, for the dependencies (uv) and for the project's own modules
# (compileall on src/, which the editable install leaves outside site-packages). Python only
# *reads* .pyc files when PYTHONDONTWRITEBYTECODE is set (it is on our machines), so without
# this every process recompiles every module it imports: ~1 s per command, more for the big ones.
export UV_COMPILE_BYTECODE := 1
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: help demo test lint bench serve bundle clean

help: ## list targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(UV):
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

$(VENV_STAMP): pyproject.toml uv.lock | $(UV)
	@UV_BIN=$$(command -v uv || echo "$(UV)"); $$UV_BIN sync --frozen --all-groups --all-extras --compile-bytecode
	@.venv/bin/python -m compileall -q -j 0 src
	@touch $@ .venv/.deps-bytecode-stamp

# The dependencies' bytecode once per sync (a no-op check of ~0.4 s right after the sync above;
# it also compiles a .venv synced before bytecode was compiled at install), then the project's
# modules: compileall writes .pyc even under PYTHONDONTWRITEBYTECODE and skips current ones.
$(BYTECODE_STAMP): $(VENV_STAMP) $(SRC_PY) | $(UV)
	@if [ ! -e .venv/.deps-bytecode-stamp ] || [ $(VENV_STAMP) -nt .venv/.deps-bytecode-stamp ]; then \
		UV_BIN=$$(command -v uv || echo "$(UV)"); \
		$$UV_BIN sync --frozen --all-groups --all-extras --inexact --compile-bytecode --quiet && touch .venv/.deps-bytecode-stamp; fi
	@.venv/bin/python -m compileall -q -j 0 src
	@touch $@

demo: $(BYTECODE_STAMP) ## the seed case: Belarus-Chelyabinsk region, then Belarus-Russia briefs (ru/en, HTML + PDF in out/)
	@.venv/bin/tradecoop demo

test: $(BYTECODE_STAMP) ## the whole suite: unit, property, validation, integration
	.venv/bin/python -m pytest $(PYTEST_ARGS)

lint: $(BYTECODE_STAMP) ## ruff
	.venv/bin/ruff check src tests benchmarks scripts

bench: $(BYTECODE_STAMP) ## benchmarks against the reference packages (writes docs/benchmarks.md tables)
	.venv/bin/python benchmarks/run_all.py

serve: $(BYTECODE_STAMP) ## REST API on http://127.0.0.1:8000
	.venv/bin/tradecoop serve

bundle: $(BYTECODE_STAMP) ## rebuild the bundled Parquet files from ../shared/data/raw
	.venv/bin/python scripts/build_bundled.py

clean:
	rm -rf .venv .pytest_cache .ruff_cache
	find src tests benchmarks scripts -name __pycache__ -type d -prune -exec rm -rf {} +
