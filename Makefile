# Sijill — the two commands: `make run` (serve with demo data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SEED_HOUSEHOLDS ?= 300
PYTEST_ARGS ?=

.PHONY: install run test lint schema clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/.installed

## Create the virtualenv, migrate, seed demo data (once) and serve GraphiQL on $(HOST):$(PORT).
run: install
	$(BIN)/sijill migrate
	$(BIN)/sijill seed --households $(SEED_HOUSEHOLDS)
	@echo "GraphiQL: http://$(HOST):$(PORT)/graphql   (a token: $(BIN)/sijill token --role admin)"
	$(BIN)/sijill run --host $(HOST) --port $(PORT)

## Run the test suite: on PostgreSQL when DATABASE_URL names one or 127.0.0.1:5432 answers,
## otherwise on SQLite (the suite says which).
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check api tests

## Rewrite the committed SDL from the code, and each program's SDL (docs/schema/) from the policies.
PROGRAMS = $(shell $(BIN)/sijill programs list --codes 2>/dev/null)
PORTAL_ROLES = registrar citizen auditor analyst
schema: install
	$(BIN)/sijill schema export > api/schema/schema.graphql
	@mkdir -p docs/schema
	for p in $(PROGRAMS); do $(BIN)/sijill schema export --program $$p > docs/schema/$$p.graphql; done
	for r in $(PORTAL_ROLES); do $(BIN)/sijill schema export --role $$r > docs/schema/$$r.graphql; done

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache sijill.db*
