# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test browser-deps lint messages catalogues admin-translation-gaps seed bench clean

$(PY):
	@echo "Creating the virtual environment in $(VENV)…"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(PY)
	@echo "Installing the Python packages (a minute or two on a fresh machine; pip shows each)…"
	$(PY) -m pip install -e .
	@$(MAKE) --no-print-directory catalogues
	@touch $@

$(VENV)/.installed-test: pyproject.toml package-lock.json | $(PY)
	@echo "Installing the Python packages and the test tools…"
	$(PY) -m pip install -e '.[test]'
	@echo "Installing the API linters (npm, package-lock.json)…"
	npm ci --no-audit --no-fund --ignore-scripts
	@$(MAKE) --no-print-directory catalogues
	@touch $@ $(VENV)/.installed

## Compile the translations (ours and the admin's Kyrgyz) with GNU gettext's msgfmt, checked;
## without msgfmt the compiled catalogues in the repository serve.
catalogues: | $(PY)
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(PY) manage.py compilemessages --ignore '$(VENV)/*' >/dev/null; \
	else echo "msgfmt (GNU gettext) not found: using the compiled catalogues of the repository."; fi

## After a Wagtail or wagtail-localize upgrade: the admin's messages still without Kyrgyz.
admin-translation-gaps: install
	DEBUG=1 $(PY) manage.py admin_translation_gaps

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## make run: install, migrate, seed the 21 pilot municipalities and demo content, serve.
run: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input
	$(MAKE) --no-print-directory seed
	DEBUG=$${DEBUG:-1} $(PY) manage.py ensure_admin
	@echo "Publishing pages scheduled to go live: run 'python manage.py publish_scheduled' every few minutes in production."
	@echo "Site: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/"
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

seed: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_pilot_municipalities
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo_content
	DEBUG=$${DEBUG:-1} $(PY) manage.py grant_access
	@# the search index with the word forms of every page (cms/search_backend.py)
	DEBUG=$${DEBUG:-1} $(PY) manage.py update_index --verbosity 0

## make test: install the test dependencies and run the whole suite (SQLite, or DATABASE_URL),
## on every core (pytest-xdist: one database per worker, a test file's tests stay together).
## PYTEST_ARGS replaces those options, e.g. PYTEST_ARGS="-k search -x" runs in one process.
PYTEST_ARGS ?= -n auto --dist loadfile
test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

## make bench: the public pages at national scale, uncached and cached, against a static file
## (BENCHMARKS.md). The first run fills a throwaway PostgreSQL database (about 15 minutes):
## 500 municipalities, 20,000 pages, 1,000,000 records; later runs reuse it. Vacuumed and
## analysed once loaded, the state autovacuum keeps a production database in (unvacuumed, the
## search index's freshly loaded entries wait in a list every search reads: 10 ms a search).
BENCH_SERVER ?= postgres://postgres@127.0.0.1:5432
BENCH_DB ?= cms_bench
bench: install
	@if ! psql "$(BENCH_SERVER)/$(BENCH_DB)" -qc 'select 1' >/dev/null 2>&1; then \
	  echo "Creating the benchmark database $(BENCH_DB) with national-scale data…"; \
	  psql "$(BENCH_SERVER)/postgres" -qc 'CREATE DATABASE "$(BENCH_DB)"' && \
	  DEBUG=1 DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) manage.py migrate --no-input && \
	  DEBUG=1 DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) manage.py load_pilot_municipalities && \
	  DEBUG=1 DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) manage.py benchmark_indicators --generate --confirm-throwaway-database --runs 1 && \
	  DEBUG=1 DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) manage.py update_index --verbosity 0 && \
	  psql "$(BENCH_SERVER)/$(BENCH_DB)" -qc 'VACUUM ANALYZE'; \
	fi
	DEBUG=1 DATABASE_URL=$(BENCH_SERVER)/$(BENCH_DB) $(PY) manage.py benchmark_site --confirm-throwaway-database

## Debian's Chromium for the browser tests (needs root; CI runs it).
browser-deps:
	@# Debian's Chromium for the browser tests, its nginx and Redis for the production-stack
	@# tests (each starts its own), Java for the Nu HTML Checker, GNU gettext's msgfmt
	@if [ -x /usr/bin/chromium ] && [ -x /usr/sbin/nginx ] && [ -x /usr/bin/redis-server ] && command -v java >/dev/null && command -v msgfmt >/dev/null; then echo "Chromium, nginx, Redis, Java and gettext are installed."; \
	else apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium nginx-light redis-server default-jre-headless gettext; fi

lint: install-test
	$(PY) -m ruff check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

## Re-extract and compile the Kyrgyz and Russian translations.
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l ky -l ru --no-obsolete --ignore '$(VENV)/*' --ignore 'static/*'
	DEBUG=1 $(PY) manage.py compilemessages --ignore '$(VENV)/*'

clean:
	rm -rf $(VENV) static .pytest_cache .ruff_cache
