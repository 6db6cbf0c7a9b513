# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run serve test test-fast lint format schema migrate makemigrations bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## run: migrate the embedded SQLite database, sync the tools, seed the demo organization,
## serve on $$PORT (8000)
run: install
	$(BIN)/voiceagents migrate
	$(BIN)/voiceagents tools sync
	$(BIN)/voiceagents seed-demo
	$(BIN)/voiceagents serve

serve: install
	$(BIN)/voiceagents serve

# Test modules run on this many processes (pytest-xdist), each on a database of its own;
# TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= 2
ifeq ($(TEST_WORKERS),0)
PYTEST_PARALLEL :=
else
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadscope
endif

## test: the whole suite; TEST_DATABASE_URL / TEST_REDIS_URL select PostgreSQL and Redis
test: install
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

## test-fast: the edit-test loop: everything but the `slow` tests (subprocesses, fuzzing)
test-fast: install
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow" $(PYTEST_ARGS)

## lint: ruff; mypy with Strawberry's plugin ([tool.mypy] in pyproject.toml); the import
## contracts of pyproject.toml (layers, LiveKit Agents only in the worker); breaking schema
## changes recorded in docs/schema-changes.md
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m graphql_api.schema_changes

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## schema: write the public schema.graphql from the server's schema
schema: install
	$(BIN)/voiceagents export-schema --output schema.graphql

migrate: install
	$(BIN)/voiceagents migrate

## makemigrations NAME=...: write the next migration for PostgreSQL and for SQLite
makemigrations: install
	$(BIN)/python -m orm.makemigrations $(NAME)

## bench: the published figures use wrk as load generator; installed here when possible
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get install -y -q wrk >/dev/null 2>&1; } || echo "wrk not installed: using the Python load generator (see docs/benchmarks.md)"
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache
