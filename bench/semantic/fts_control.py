"""Control without embeddings: the same agreement rule with a second *lexical* opinion, the
bench's plain SQLite FTS5 baseline (bench/search_eval.py, Fts5Baseline). Confident = project
confident OR (project top-1 == FTS5 top-1 and FTS5's best bm25 better than t), t chosen on
questions.yaml as the loosest value that adds no wrong confident answer there.

    venv/bin/python fts_control.py
"""

import json
import re

import common
import e2e
from evaluate import LEX, QUESTIONS, TUNE, figures, score

from handbook.service import SHIPPED_HANDBOOK

fts = e2e.bench_module().Fts5Baseline(SHIPPED_HANDBOOK)


def fts_top(text):
    words = re.findall(r"[^\W_]+", text.lower())[:60]
    if not words:
        return None, 0.0
    match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
    row = fts.db.execute(
        "SELECT routine, -bm25(sections) FROM sections WHERE sections MATCH ? "
        "ORDER BY bm25(sections) LIMIT 1",
        (match,),
    ).fetchone()
    return (row[0], row[1]) if row else (None, 0.0)


tops = {s: [fts_top(q.text) for q in QUESTIONS[s]] for s in common.SETS}
bad = [
    sc
    for q, lex, (f1, sc) in zip(QUESTIONS[TUNE], LEX[TUNE], tops[TUNE], strict=False)
    if not lex["confident"] and lex["ids"] and lex["ids"][0] == f1 and lex["ids"][0] != q.expect
]
t = max(bad) if bad else 0.0
out = {"t_bm25": t}
for s in common.SETS:
    ranked = [
        (lex["ids"], lex["confident"] or (bool(lex["ids"]) and lex["ids"][0] == f1 and sc > t))
        for lex, (f1, sc) in zip(LEX[s], tops[s], strict=False)
    ]
    out[s] = figures(score(s, ranked))
    f = out[s]
    print(
        s,
        f"t={t:.2f}",
        "conf",
        f["confident_in_scope"],
        "%.1f%%" % (100 * f["confident_rate"]),
        "wrong",
        f["confident_wrong_in_scope"],
        "oos",
        f["confident_out_of_scope"],
        "prec",
        round(f["confident_precision"], 3),
    )
(common.HERE / "fts_control.json").write_text(json.dumps(out, indent=1))
