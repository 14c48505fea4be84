# Two commands on a fresh clone: `make run` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# Debian's Chromium renders the answer card in the Playground's page (no downloaded browsers).
CHROMIUM_STAMP := $(VENV)/.chromium

.PHONY: run test lint format check bench lock clean package

# Python environment: a virtualenv with the project (editable) and exact versions from requirements.lock.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $(STAMP)

# Node tools for the tests and the Teams package: exact versions from package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(CHROMIUM_STAMP):
	command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	command -v chromium >/dev/null
	touch $(CHROMIUM_STAMP)

run: $(STAMP)
	$(PY) -m bot

# The Teams app package: manifest/ with MicrosoftAppId and BOT_DOMAIN filled in -> build/rutinebot.zip
package: $(STAMP)
	$(PY) manifest/build.py --out build/rutinebot.zip

test: $(STAMP) $(NODE_STAMP) $(CHROMIUM_STAMP)
	$(PY) -m ruff check bot handbook schedule tests bench
	$(PY) -m ruff format --check bot handbook schedule tests bench
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check bot handbook schedule tests bench
	$(PY) -m ruff format --check bot handbook schedule tests bench

format: $(STAMP)
	$(PY) -m ruff format bot handbook schedule tests bench
	$(PY) -m ruff check --fix bot handbook schedule tests bench

# Search quality and latency (issue: handbook search); prints figures, asserts nothing.
bench: $(STAMP)
	$(PY) bench/search_eval.py

# Re-resolve requirements.lock from pyproject.toml (a deliberate act, not part of run/test).
lock:
	rm -rf /tmp/rutinebot-lock && $(PYTHON) -m venv /tmp/rutinebot-lock
	/tmp/rutinebot-lock/bin/pip install --quiet '.[test]'
	/tmp/rutinebot-lock/bin/pip freeze --exclude rutinebot > requirements.lock

clean:
	rm -rf $(VENV) data node_modules .pytest_cache .ruff_cache *.egg-info
