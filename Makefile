# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test browser-deps lint messages seed clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

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

## make test: install the test dependencies and run the whole suite (SQLite, or DATABASE_URL).
test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

## Debian's Chromium for the browser tests (needs root; CI runs it).
browser-deps:
	@# Debian's Chromium for the browser tests, its nginx for the reverse-proxy test, Java for
	@# the Nu HTML Checker
	@if [ -x /usr/bin/chromium ] && [ -x /usr/sbin/nginx ] && command -v java >/dev/null; then echo "Chromium, nginx and Java are installed."; \
	else apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium nginx-light default-jre-headless; fi

lint: install-test
	$(PY) -m ruff check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

## Re-extract and compile the Kyrgyz and Russian translations.
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l ky -l ru --no-obsolete --ignore '$(VENV)/*' --ignore 'static/*'
	DEBUG=1 $(PY) manage.py compilemessages --ignore '$(VENV)/*'

clean:
	rm -rf $(VENV) static .pytest_cache .ruff_cache
