# Lophoc: `make run` serves the demo, `make test` runs the whole suite.
# Both work on a fresh clone with no virtual environment.

PYTHON_SYS ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and the admin point at the server `make run` starts, on
# whatever HOST and PORT it was given; LOPHOC_BASE_URL, in the environment or
# .env, still wins (a public address behind a proxy). A server listening on
# every address is linked to as 127.0.0.1.
LINK_HOST = $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
export LOPHOC_DEV_ORIGIN = http://$(LINK_HOST):$(PORT)
WORKERS ?= 2
PYTEST_ARGS ?=
PG_URL ?= postgres://postgres@127.0.0.1:5432/lophoc
REDIS_TEST_URL ?= redis://127.0.0.1:6379/1

.PHONY: screens makemessages run test test-embedded test-services lint format messages system-deps \
        install install-dev migrate seed serve serve-scale clean worker

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# gettext compiles the Vietnamese catalogue; chromium drives the browser tests;
# wamerican's word list is what the admin language test counts English with;
# espeak-ng speaks the Vietnamese the live audio test's fake microphone plays.
system-deps:
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext; }

system-deps-test: system-deps
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium; }
	@test -f /usr/share/dict/american-english || { apt-get update -qq && apt-get install -y -qq wamerican; }
	@command -v espeak-ng >/dev/null || { apt-get update -qq && apt-get install -y -qq espeak-ng; }

messages: system-deps $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0

# Refresh the English catalogues after adding strings (msgids are Vietnamese),
# then translate the new empty msgstr entries. Never run it with -l vi: the
# Vietnamese catalogue translates Wagtail's strings, not ours.
makemessages: system-deps $(VENV)/.installed
	$(PY) manage.py makemessages -l en --add-location=file --ignore=.venv --ignore=var --ignore=bench

migrate: $(VENV)/.installed
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0

seed: migrate
	$(PY) manage.py seed_demo

# Serves the demo with uvicorn (one process, the command line of
# lms/serve_scale.py: daphne cannot send the contract's close codes 1009,
# 1012 and 1013) and runs the background worker (emails, reminders, digests)
# beside it; Ctrl+C stops both. daphne stays installed for `manage.py runserver`.
run: messages seed
	$(PY) manage.py schedule_jobs
	@echo "Lophoc demo: http://$(HOST):$(PORT)/"
	@$(PY) manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) -m lms.serve_scale --workers 1 --host $(HOST) --port-base $(PORT)

# Screenshots of the demo as its users see it, into docs/screens/ (a
# throwaway database; needs chromium, as the browser tests do).
screens: system-deps-test messages $(VENV)/.installed-dev
	$(PY) scripts/screens.py

# The background worker (emails, digests, reminders, weekly summaries); run it
# beside `make run`. schedule_jobs starts every app's periodic jobs once
# (idempotent).
worker: migrate
	$(PY) manage.py schedule_jobs
	$(PY) manage.py db_worker

# Several ASGI processes on consecutive ports from 8001, sharing DATABASE_URL
# and REDIS_URL (see docs/deployment.md).
serve-scale: messages migrate
	$(PY) -m lms.serve_scale --workers $(WORKERS)

test: system-deps-test messages $(VENV)/.installed-dev
	@$(MAKE) --no-print-directory test-embedded
	@if $(PY) -m lms.services_check; then \
	  $(MAKE) --no-print-directory test-services; \
	else \
	  echo "== Profile 'real services' NOT run: PostgreSQL at 127.0.0.1:5432 or Redis at 127.0.0.1:6379 is unreachable"; \
	fi

test-embedded: $(VENV)/.installed-dev
	@echo "== Profile 'embedded default': SQLite + in-memory channel layer"
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest --create-db $(PYTEST_ARGS)

test-services: $(VENV)/.installed-dev
	@echo "== Profile 'real services': PostgreSQL + Redis"
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(PY) -m pytest --create-db $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

clean:
	rm -rf var/lophoc.sqlite3* var/static
