# Two commands set everything up: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: lighthouse serve install-production run test test-unit test-browser test-scaleout lint check install install-test chromium nginx messages clean bench bench-web wrk

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files make re-runs cheap; they are redone when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

# The test extras include the production ones: the scale-out test runs gunicorn.
$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e ".[test,production]"
	touch $@ $(VENV)/.installed $(VENV)/.installed-production

$(VENV)/.installed-production: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e ".[production]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

install-production: $(VENV)/.installed-production

# Links in the school's e-mails point at the port served (unless SITE_URL is set).
# Static files are collected as for production (hashed, gzip and brotli, a
# year's cache); `make run LIVE_STATIC=1` serves them fresh from the source
# folders while editing CSS or JavaScript.
run: export LIVE_STATIC ?= 0
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) seed_demo
	$(if $(filter 1,$(LIVE_STATIC)),,$(MANAGE) collectstatic --noinput -v0)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The production set on this machine (README, "Running in production"):
# gunicorn, the e-mail worker and the daily schedule under honcho (Procfile),
# on production settings. Give it DATABASE_URL and REDIS_URL; it serves plain
# http on 127.0.0.1:$(PORT) (a TLS proxy goes in front on a real server), and
# keeps a secret key of its own in .secret_key unless SECRET_KEY is set.
# PROCESSES="web worker" leaves the scheduler out (every app server but one).
serve: export DJANGO_SETTINGS_MODULE = school.settings.production
serve: export SITE_URL ?= http://127.0.0.1:$(PORT)
serve: export SECURE_SSL_REDIRECT ?= 0
serve: export SERVE_MEDIA ?= 1
serve: export SECRET_KEY ?= $(shell cat .secret_key 2>/dev/null)
serve: export PORT := $(PORT)
serve: export PATH := $(CURDIR)/$(BIN):$(PATH)
serve: install-production .secret_key
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) write_error_pages -v0
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) make_renditions
	$(BIN)/honcho start -f Procfile $(PROCESSES)

.secret_key:
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# Chromium for the browser tests, and a Chinese font so screenshots are legible.
chromium:
	@[ -x $(CHROMIUM) ] && fc-list :lang=zh | grep -q . || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei; }

# nginx for the scale-out test and for production (deploy/nginx/school.conf).
nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx; }

# Unit tests in parallel, then the browser tests serially against a live server.
test: install-test chromium
	$(MAKE) lint
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=school.settings.test
	$(BIN)/pytest -n 2 -m "not browser and not scaleout"
	$(BIN)/pytest -m browser -p no:xdist

test-unit: install-test
	$(BIN)/pytest -n 2 -m "not browser and not scaleout"

test-browser: install-test chromium
	$(BIN)/pytest -m browser -p no:xdist

# Two gunicorn servers behind nginx on PostgreSQL and Redis (tests/scaleout/):
# DATABASE_URL=postgres://… make test-scaleout (.ci/run runs it).
test-scaleout: install-test nginx
	$(BIN)/pytest -m scaleout -p no:xdist tests/scaleout

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(MANAGE) check

messages: install
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=static --ignore=media --ignore=tests
	$(MANAGE) compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 media static

# Study benchmark (not part of `make test`): fresh SQLite and PostgreSQL
# databases with 10,000 members, 300 lessons and 1,000,000 study records, then
# the timings of the coverage ledger, the study page, a heartbeat and the
# study contact's dashboard with 50 paired members; then the party dues
# ledger of one branch of 2,000 members over a year (bench_dues).
BENCH_SIZE ?= --members 10000 --lessons 300 --records 1000000
BENCH_SQLITE ?= /tmp/school-bench.sqlite3
BENCH_PG_SERVER ?= postgresql://postgres@127.0.0.1:5432
BENCH_PG_NAME ?= school_bench

bench: install
	rm -f $(BENCH_SQLITE)
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(MANAGE) createcachetable
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(MANAGE) seed_bench $(BENCH_SIZE)
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(MANAGE) bench_study
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(MANAGE) bench_contact
	DATABASE_URL=sqlite:///$(BENCH_SQLITE) $(MANAGE) bench_dues
	$(BIN)/python -c "import psycopg; c = psycopg.connect('$(BENCH_PG_SERVER)/postgres', autocommit=True); c.execute('DROP DATABASE IF EXISTS $(BENCH_PG_NAME)'); c.execute('CREATE DATABASE $(BENCH_PG_NAME)')"
	DATABASE_URL=$(BENCH_PG_SERVER)/$(BENCH_PG_NAME) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=$(BENCH_PG_SERVER)/$(BENCH_PG_NAME) $(MANAGE) createcachetable
	DATABASE_URL=$(BENCH_PG_SERVER)/$(BENCH_PG_NAME) $(MANAGE) seed_bench $(BENCH_SIZE)
	DATABASE_URL=$(BENCH_PG_SERVER)/$(BENCH_PG_NAME) $(MANAGE) bench_study
	DATABASE_URL=$(BENCH_PG_SERVER)/$(BENCH_PG_NAME) $(MANAGE) bench_contact
	DATABASE_URL=$(BENCH_PG_SERVER)/$(BENCH_PG_NAME) $(MANAGE) bench_dues

# Web benchmark (not part of `make test`): the site under gunicorn with
# production settings on SQLite and on PostgreSQL with Redis, next to a bare
# Django view, loaded by wrk; see README ("Web benchmark").
BENCH_WEB_ARGS ?=

wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }

bench-web: install wrk
	$(BIN)/pip install --quiet -e ".[production]"
	$(BIN)/python scripts/bench_web.py $(BENCH_WEB_ARGS)

# Lighthouse mobile on the served site (not part of `make test`): start
# `make run` first (or give LIGHTHOUSE_URL). Lighthouse and the current Nu
# checker are installed from npm into .npm-tools/ (git-ignored); 12.2.3 is the
# last Lighthouse that runs on Node 20.
LIGHTHOUSE_URL ?= http://127.0.0.1:$(PORT)

.npm-tools/.installed:
	npm install --no-save --no-audit --no-fund --prefix .npm-tools -E lighthouse@12.2.3 vnu-jar@26.9.27
	touch $@

lighthouse: install-test chromium .npm-tools/.installed
	CHROME_PATH=$(CHROMIUM) $(BIN)/python scripts/lighthouse.py --url $(LIGHTHOUSE_URL)
