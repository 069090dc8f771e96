# Contact Sessions: `make run` serves the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := contactsessions.settings

.PHONY: run test lint audit format check venv demo bench loadtest clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_postcodes
	$(PY) manage.py load_demo_data

run: demo
	DEMO_MODE=1 SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv
	./scripts/ensure-test-packages.sh
	DATABASE_URL="$$(./scripts/postgres.sh start)" $(PY) -m pytest $(PYTEST_ARGS)

# pre-commit runs the hooks in .pre-commit-config.yaml (django-upgrade, djhtml, basic hygiene)
# from the pinned copies in .venv, offline; it needs no `pre-commit install`.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pre-commit run --all-files --show-diff-on-failure
	$(VENV)/bin/mypy
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=production SECRET_KEY=ci-only-$$(printf '%064d' 0) ALLOWED_HOSTS=example.org \
		DATABASE_URL=sqlite:////tmp/contactsessions-check.sqlite3 $(PY) manage.py check --deploy --fail-level WARNING

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
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-load.txt
	touch $@

loadtest: $(VENV)/.load-installed
	timeout 900 $(PY) -m bench.loadtest.run $(LOADTEST_ARGS)

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	./scripts/postgres.sh stop
	rm -rf .pg db.sqlite3 staticfiles
