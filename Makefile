# Contact Sessions: `make run` serves the app with demo data, `make test` runs every test.
#
# .venv holds the runtime pins (requirements.txt) and the development and test tools
# (requirements-dev.txt, which includes requirements.txt). Production installs
# requirements.txt alone. Both are written from pyproject.toml by `make lock`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := contactsessions.settings

.PHONY: run test test-fast lint audit format check venv lock demo bench loadtest clean messages

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# Re-pin requirements.txt and requirements-dev.txt after a change to pyproject.toml's
# dependencies (LOCK_ARGS=--upgrade: the newest versions its ranges allow).
lock:
	PYTHON=$(PYTHON) ./scripts/lock.sh $(LOCK_ARGS)

demo: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_postcodes
	$(PY) manage.py load_demo_data

run: demo
	DEMO_MODE=1 SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The database URL is taken in a step of its own so that a failure to start PostgreSQL stops
# here: the suite never runs on the SQLite fallback of settings.py.
# Spread over two processes (pytest-xdist); TEST_WORKERS=0 runs everything in one.
TEST_WORKERS ?= 2
test: venv
	./scripts/ensure-test-packages.sh
	url="$$(./scripts/postgres.sh start)" && DATABASE_URL="$$url" TEST_DATABASE_VENDOR=postgresql \
		$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Everything but the browser tests (marker `browser`), spread over the cores with
# pytest-xdist (TEST_FAST_WORKERS=0 for one process): no Chromium needed.
TEST_FAST_WORKERS ?= auto
test-fast: venv
	./scripts/ensure-test-packages.sh --no-browser
	url="$$(./scripts/postgres.sh start)" && DATABASE_URL="$$url" TEST_DATABASE_VENDOR=postgresql \
		$(PY) -m pytest -m "not browser" -n $(TEST_FAST_WORKERS) $(PYTEST_ARGS)

# pre-commit runs the hooks in .pre-commit-config.yaml (django-upgrade, djhtml, basic hygiene)
# from the pinned copies in .venv, offline; it needs no `pre-commit install`.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pre-commit run --all-files --show-diff-on-failure
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-logo
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_messages.py
	DJANGO_ENV=production SECRET_KEY=ci-only-$$(printf '%064d' 0) ALLOWED_HOSTS=example.org \
		DATABASE_URL=sqlite:////tmp/contactsessions-check.sqlite3 $(PY) manage.py check --deploy --fail-level WARNING

# Translations of the public pages: gather the marked strings into locale/<code>/LC_MESSAGES/
# django.po for every language but English, and compile the .mo files (committed). Then
# translate what is new; `make lint` fails while any string is untranslated or fuzzy.
messages: venv
	./scripts/messages.sh

# Supply chain: known vulnerabilities in the pinned dependencies, and bandit over our code.
# pip-audit asks PyPI's vulnerability data; where that service cannot be reached it reports
# the packages it skipped rather than failing.
audit: venv
	$(PY) -m pip install --quiet -r requirements-ci.txt
	$(VENV)/bin/pip-audit -r requirements.txt --progress-spinner off
	$(VENV)/bin/bandit -q -r contactsessions wards venues -x '*/migrations/*'

# Performance at London scale: see docs/performance.md.
bench: venv
	./scripts/bench.sh

# Load with faults: locust against gunicorn, PostgreSQL restarted mid-run, then every accepted
# write checked in the database. About 3 minutes; see docs/reliability.md. Not part of make test.
$(VENV)/.load-installed: requirements-load.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt -r requirements-load.txt
	touch $@

loadtest: $(VENV)/.load-installed
	timeout 900 $(PY) -m bench.loadtest.run $(LOADTEST_ARGS)

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	./scripts/postgres.sh clean
	rm -rf db.sqlite3 staticfiles
