# Vonk: `make run` serves the portal, `make test` runs every suite. `make help` lists targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HTMX := portal/static/vendor/htmx.min.js
export VONK_DATA_DIR ?= ./var

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(HTMX): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $(HTMX))
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)

install: $(STAMP) $(HTMX) ## create .venv, install Python and front-end dependencies

run: install ## migrate, seed demo data on first start, serve http://127.0.0.1:8000
	$(BIN)/vonk run

test: install ## run the whole test suite (PostgreSQL and browser suites when available)
	bash .ci/test-suites

lint: install ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy portal challenges search

format: install ## format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## measure pages against a bare Litestar page (see bench/)
	$(BIN)/python -m bench

messages: install ## extract translatable strings and update the catalogues
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k ngettext:1,2 --ignore-dirs='.* node_modules var __pycache__' -o portal/translations/messages.pot --no-location --omit-header --sort-output .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations -D messages --no-fuzzy-matching --ignore-obsolete

clean: ## remove the virtualenv, front-end packages and caches (keeps ./var data)
	rm -rf $(VENV) node_modules portal/static/vendor .pytest_cache .ruff_cache .mypy_cache test-artifacts

.PHONY: help install run test lint format bench messages clean
