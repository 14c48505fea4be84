# Two commands on a fresh clone: `make run` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CHROMIUM   := /usr/bin/chromium
# PostgreSQL's initdb (Debian keeps it in /usr/lib/postgresql/<version>/bin); when there is none,
# the `postgresql-server` rule below installs it.
PG_INITDB  := $(or $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb)),postgresql-server)
LINT   := bot handbook schedule tests bench manifest

.PHONY: postgresql-server run test lint format check bench bench-bot bench-import bench-broadcast bench-instances bench-pages package lock clean

# Where `make package` writes the Teams app zip.
PACKAGE ?= build/rutinebot-teams-app.zip

# Python environment: a virtualenv with the project (editable) and exact versions from requirements.lock.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $(STAMP)

# Node is only for tests: Mozilla's ical.js parses the feeds as Thunderbird does; Microsoft 365
# Agents Playground drives the bot end to end. Reinstalled exactly from package-lock.json when
# node_modules is missing or the lock changed.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Debian's chromium renders the web page and the Playground's answer card in tests. The binary is its own
# stamp: installed only when missing (CI starts from a fresh machine; we run as root there).
$(CHROMIUM):
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The storage tests start a throwaway PostgreSQL cluster themselves (tests/postgres.py); they need
# Debian's server programs, installed here only when missing. Never skipped: no server, no green.
postgresql-server:
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "make test: PostgreSQL (initdb) \
	is still missing after apt-get install postgresql; the storage tests need it" >&2; exit 1; }

run: $(STAMP)
	$(PY) -m bot

test: $(STAMP) $(NODE_STAMP) $(CHROMIUM) $(PG_INITDB)
	$(PY) -m ruff check $(LINT)
	$(PY) -m ruff format --check $(LINT)
	$(PY) -m schedule check
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check $(LINT)
	$(PY) -m ruff format --check $(LINT)

format: $(STAMP)
	$(PY) -m ruff format $(LINT)
	$(PY) -m ruff check --fix $(LINT)

# Search quality and latency (issue: handbook search); prints figures, asserts nothing.
bench: $(STAMP)
	$(PY) bench/search_eval.py

# Word handbook import (issue: import): a generated 300-page .docx; prints time and peak memory.
bench-import: $(STAMP)
	$(PY) bench/docx_import.py

# The Teams app package: the manifest template filled in from MicrosoftAppId and BOT_DOMAIN,
# zipped with the icons (redraw those with: python3 manifest/make_icons.py).
package: $(STAMP)
	$(PY) -m bot package --out $(PACKAGE)

# Bot throughput and latency: echo bot vs Rutinebot, before/after the adapter fixes (issue 4).
# Prints a table, asserts nothing; SECONDS per row (default 30).
BENCH_SECONDS ?= 30
bench-bot: $(STAMP)
	$(PY) bench/bot_load.py --seconds $(BENCH_SECONDS)

# A broadcast to 1,000 conversations through real bot processes and a local connector, with
# Teams' limits on and off, one and three instances (issue 7). Prints a table, asserts nothing.
BENCH_CONVERSATIONS ?= 1000
bench-broadcast: $(STAMP) $(PG_INITDB)
	$(PY) bench/broadcast.py --conversations $(BENCH_CONVERSATIONS)

# 100 concurrent conversations asking questions of 1, 2 and 3 instances on PostgreSQL and of one
# on SQLite (issue 7). Prints a table, asserts nothing; SECONDS per row (default 30).
bench-instances: $(STAMP) $(PG_INITDB)
	$(PY) bench/instances_load.py --seconds $(BENCH_SECONDS)

# The handbook's web pages under load (issue 8): /rutiner/<id> and the search page with
# BENCH_CLIENTS concurrent clients for BENCH_SECONDS per row. Prints a table, asserts nothing.
BENCH_CLIENTS ?= 20
bench-pages: $(STAMP)
	$(PY) bench/pages_load.py --seconds $(BENCH_SECONDS) --clients $(BENCH_CLIENTS)

# Re-resolve requirements.lock from pyproject.toml (a deliberate act, not part of run/test).
lock:
	rm -rf /tmp/rutinebot-lock && $(PYTHON) -m venv /tmp/rutinebot-lock
	/tmp/rutinebot-lock/bin/pip install --quiet '.[test]'
	/tmp/rutinebot-lock/bin/pip freeze --exclude rutinebot > requirements.lock

clean:
	rm -rf $(VENV) data build node_modules .pytest_cache .ruff_cache *.egg-info
