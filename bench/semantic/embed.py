"""Embed the shipped handbook's sections/cards and every question of the three sets, per
candidate; cache to cache/<candidate>.npz. Also cache the lexical top-10 (cache/lexical.json).

    venv/bin/python embed.py [candidate ...]
"""

from __future__ import annotations

import json
import sys
import time

import common
import numpy as np

common.CACHE.mkdir(exist_ok=True)


def lexical():
    hb = common.open_lexical()
    out = {}
    for name in common.SETS:
        rows = []
        for q in common.load_set(name):
            r = hb.search(q.text, k=10)
            rows.append(
                {
                    "q": q.text,
                    "expect": q.expect,
                    "kind": q.kind,
                    "ids": [h.routine_id for h in r.hits],
                    "scores": [h.score for h in r.hits],
                    "confident": r.confident,
                }
            )
        out[name] = rows
    (common.CACHE / "lexical.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))


def embed(name):
    routines = common.shipped_routines()
    sec_ids, sec_txt = common.section_docs(routines)
    card_ids, card_txt = common.card_docs(routines)
    t = time.perf_counter()
    enc = common.CANDIDATES[name](threads=2)
    arrays = {
        "sec_ids": np.array(sec_ids),
        "sec": enc.passage(sec_txt),
        "card_ids": np.array(card_ids),
        "card": enc.passage(card_txt),
    }
    for s in common.SETS:
        arrays["q:" + s] = enc.query([q.text for q in common.load_set(s)])
    np.savez(common.CACHE / f"{name}.npz", **arrays)
    print(
        f"{name}: {len(sec_txt)} sections, {len(card_txt)} cards in {time.perf_counter() - t:.1f} s"
    )


if __name__ == "__main__":
    if not (common.CACHE / "lexical.json").exists():
        lexical()
    for name in sys.argv[1:] or list(common.CANDIDATES):
        embed(name)
