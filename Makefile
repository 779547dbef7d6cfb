# Two commands set everything up: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-unit test-browser lint check install install-test chromium messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files make re-runs cheap; they are redone when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Chromium for the browser tests, and a Chinese font so screenshots are legible.
chromium:
	@[ -x $(CHROMIUM) ] && fc-list :lang=zh | grep -q . || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei; }

# Unit tests in parallel, then the browser tests serially against a live server.
test: install-test chromium
	$(MAKE) lint
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=school.settings.test
	$(BIN)/pytest -n 2 -m "not browser"
	$(BIN)/pytest -m browser -p no:xdist

test-unit: install-test
	$(BIN)/pytest -n 2 -m "not browser"

test-browser: install-test chromium
	$(BIN)/pytest -m browser -p no:xdist

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(MANAGE) check

messages: install
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=static --ignore=media --ignore=tests
	$(MANAGE) compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 media static
