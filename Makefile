# Two commands for a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_ADDR ?= 127.0.0.1:8000

.PHONY: install demo test lint build clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install  ## install, migrate, seed demo data, serve the IdP on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --base-url http://$(DEMO_ADDR)
	$(PY) manage.py runserver $(DEMO_ADDR)

test: install  ## install and run the test suite (DATABASE_URL selects the database)
	scripts/ensure_chromium.sh
	scripts/services.sh
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run

build: install
	$(PY) -m build

clean:
	rm -rf $(VENV) build dist *.egg-info
