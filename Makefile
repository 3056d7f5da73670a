# Two commands for a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The demo needs only the runtime and example dependencies (no browser, no test tools).
DEMO_STAMP := $(VENV)/.installed-example
DEMO_ADDR ?= 127.0.0.1:8000

.PHONY: install demo serve test test-fast test-newest test-lowest lint build clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(DEMO_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[example]"
	touch $(DEMO_STAMP)

install: $(STAMP)

demo: $(DEMO_STAMP)  ## install what the demo needs, migrate, seed demo data, serve the IdP on http://$(DEMO_ADDR)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo --base-url http://$(DEMO_ADDR)
	OIDC_ISSUER="$${OIDC_ISSUER:-http://$(DEMO_ADDR)/o}" $(PY) manage.py runserver $(DEMO_ADDR)

serve: $(DEMO_STAMP)  ## the demo as production serves it: gunicorn (example_project/gunicorn.conf.py) on DEMO_ADDR
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py seed_demo --base-url http://$(DEMO_ADDR)
	OIDC_ISSUER="$${OIDC_ISSUER:-http://$(DEMO_ADDR)/o}" GUNICORN_BIND="$(DEMO_ADDR)" \
		$(VENV)/bin/gunicorn -c example_project/gunicorn.conf.py

test: install  ## install and run the test suite (DATABASE_URL selects the database)
	scripts/ensure_chromium.sh
	scripts/services.sh
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install  ## the suite without a browser or a live server (no Chromium needed)
	scripts/services.sh
	$(PY) -m pytest -m "not browser and not live_server" $(PYTEST_ARGS)

# The suite in other supported environments, each in a virtual environment of its own
# (.venv-NAME; scripts/find_python.sh finds the interpreter, on PATH or through pyenv):
test-newest:  ## Python 3.13, the newest Django (6.1) and the newest django-oauth-toolkit
	scripts/test_in_venv.sh newest 3.13 "Django>=6.1,<6.2" "django-oauth-toolkit>=3.4,<4"

test-lowest:  ## Python 3.12, Django 6.0 and the oldest supported django-oauth-toolkit (3.4.0)
	scripts/test_in_venv.sh lowest 3.12 "Django>=6.0,<6.1" "django-oauth-toolkit==3.4.0"

lint: install  ## ruff, the import contract (the one-way flow of the layers) and the migrations
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

build: install
	$(PY) -m build

clean:
	rm -rf $(VENV) .venv-newest .venv-lowest build dist *.egg-info
