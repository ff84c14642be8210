# Assist: `make run` to try it, `make test` to check it. Both set up .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test install install-dev translations db messages lint worker clean

run: install translations db ## Set up, load demo data, print the demo logins, serve on :5000
	$(FLASK) seed --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

# One test process per core (pytest-xdist); `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto

test: install-dev translations ## Install the dev extras and run the whole suite
	$(BIN)/pytest -n $(TEST_WORKERS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

install: $(STAMP)
install-dev: $(DEV_STAMP)

translations: $(STAMP) ## Compile the .po catalogs (compiled files are not committed)
	$(BIN)/pybabel --quiet compile -d community/translations

db: $(STAMP) ## Apply migrations to the configured database
	$(FLASK) db upgrade

messages: $(STAMP) ## Re-extract strings and merge them into every catalog
	$(BIN)/pybabel --quiet extract -F babel.cfg --ignore-dirs='.* __pycache__ .venv' -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 \
		--no-location --omit-header -o community/translations/messages.pot .
	$(BIN)/pybabel --quiet update --no-fuzzy-matching -i community/translations/messages.pot \
		-d community/translations

worker: $(STAMP) ## Run an RQ worker (needs REDIS_URL)
	$(FLASK) worker

lint: install-dev ## ruff, the format check, the layering contracts and types (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache
