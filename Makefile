# Open Commissioning. `make run` installs everything and serves the demo on
# http://127.0.0.1:8000; `make test` installs the test tools and runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := run

UV_VERSION := 0.9.30
UV := .tools/bin/uv
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL the suite runs against a second time, when one answers.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/open_commissioning
# The suite runs in one process per core (pytest-xdist, each with its own test database);
# PYTEST_WORKERS=0 runs it in this process alone.
PYTEST_WORKERS ?= auto
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run install test test-app check pytest bench messages clean .system-packages .test-system-packages

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo "Open Commissioning is on http://$(HOST):$(PORT)/ (stop with Ctrl+C)"
	@$(MANAGE) run_worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(MANAGE) runserver --noreload $(HOST):$(PORT)

install: .system-packages .venv/.installed node_modules/.installed commissioning/web/static/web/application.css locale/cy/LC_MESSAGES/django.mo

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --inexact
	@touch $@

.venv/.test-tools: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --all-groups
	@touch .venv/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

commissioning/web/static/web/application.css: node_modules/.installed $(wildcard frontend/scss/*.scss) frontend/copy-assets.mjs
	npm run --silent build

locale/cy/LC_MESSAGES/django.mo: locale/cy/LC_MESSAGES/django.po .venv/.installed
	.venv/bin/pybabel compile -d locale -D django --statistics

# Pango and a font for WeasyPrint, which lays out the PDF documents (market position
# statements), from Debian's packages.
.system-packages:
	@if ! /sbin/ldconfig -p | grep -q libpangoft2-1.0 || ! command -v fc-list >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 \
			libpangoft2-1.0-0 fontconfig fonts-dejavu-core >/dev/null; \
	fi

# Debian's Chromium for the browser tests (never a downloaded browser) and gettext for the
# check that every string is in the Welsh catalogue.
.test-system-packages:
	@if ! command -v chromium >/dev/null || ! command -v xgettext >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium gettext >/dev/null; \
	fi

test: install .venv/.test-tools .test-system-packages check pytest

check:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/mypy
	OC_ENVIRONMENT=test $(MANAGE) makemigrations --check --dry-run
	OC_ENVIRONMENT=production SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-enough-secret-value \
		ALLOWED_HOSTS=commissioning.example $(MANAGE) check --deploy --fail-level WARNING

pytest:
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL OC_ENVIRONMENT=test .venv/bin/pytest -n $(PYTEST_WORKERS)
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
		url="$(PG_TEST_URL)"; fi; \
	if [ -n "$$url" ]; then \
		echo "== pytest on PostgreSQL =="; \
		DATABASE_URL="$$url" OC_ENVIRONMENT=test .venv/bin/pytest -n $(PYTEST_WORKERS); \
	else echo "== no PostgreSQL answering on 127.0.0.1:5432: SQLite only =="; fi

# One app's tests, on SQLite and without the browser, while working on it: make test-app APP=needs
test-app: .venv/.test-tools
	@if [ -z "$(APP)" ] || [ ! -d "tests/$(APP)" ]; then \
		echo "usage: make test-app APP=<$$(ls -d tests/*/ | xargs -n1 basename | tr '\n' '|' | sed 's/|$$//')>"; \
		exit 2; fi
	env -u DATABASE_URL OC_ENVIRONMENT=test .venv/bin/pytest -m "not browser" tests/$(APP)

bench: install .venv/.test-tools
	$(PY) bench/run.py
	$(PY) bench/projection.py
	$(PY) bench/market.py
	$(PY) bench/plans.py
	$(PY) bench/engagement.py

# For developers adding strings: refresh the Welsh catalogue, then translate what is new.
messages: .venv/.test-tools
	$(MANAGE) makemessages --locale cy --no-obsolete --ignore 'node_modules/*' --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*'

clean:
	rm -rf .venv .tools node_modules var commissioning/web/static/web/application.css commissioning/web/static/web/govuk commissioning/web/static/web/vendor
