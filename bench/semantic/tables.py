"""Markdown tables for REPORT.md from results.json, perf.json, e2e.json, fts_control.json."""

import json
from pathlib import Path

H = Path(__file__).resolve().parent
R = json.loads((H / "results.json").read_text())
SETS = ("questions.yaml", "holdout.yaml", "holdout2.yaml")
short = {"questions.yaml": "tune", "holdout.yaml": "hold1", "holdout2.yaml": "hold2"}


def pc(a, b):
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "–"


print("### Ranking: top-1 / top-3 (in-scope questions)\n")
print(
    "| candidate | set | lexical top-1 | lexical top-3 | embedding top-1 | embedding top-3 | hybrid top-1 | hybrid top-3 |"
)
print("|---|---|---|---|---|---|---|---|")
for r in R:
    for s in SETS:
        row = r["sets"][s]
        L, E, Hy = row["lexical"], row["embedding"], row["hybrid"]
        n = L["in_scope"]
        print(
            f"| {r['candidate']} | {short[s]} | {pc(L['top1'], n)} | {pc(L['top3'], n)} | {pc(E['top1'], n)} | {pc(E['top3'], n)} | {pc(Hy['top1'], n)} | {pc(Hy['top3'], n)} |"
        )
print()
print(
    "### Confidence: in-scope answered confidently / confident but wrong (in-scope + out-of-scope) / precision of confident answers / out-of-scope rejected\n"
)
print(
    "| candidate | set | lexical | lexical + agreement signal | hybrid + agreement signal | embedding alone (cos > t_emb) |"
)
print("|---|---|---|---|---|---|")


def cf(f):
    p = f["confident_precision"]
    return (
        f"{f['confident_in_scope']} ({100 * f['confident_rate']:.1f}%) / {f['confident_wrong_in_scope']}+{f['confident_out_of_scope']} / "
        f"{'–' if p is None else f'{100 * p:.1f}%'} / {f['rejected']}/{f['out_of_scope']}"
    )


for r in R:
    for s in SETS:
        row = r["sets"][s]
        print(
            f"| {r['candidate']} | {short[s]} | {cf(row['lexical'])} | {cf(row['lexical+signal'])} | {cf(row['hybrid+signal'])} | {cf(row['embedding'])} |"
        )
print()
print(
    "### Separation of in-scope and out-of-scope by best cosine (min / p10 / median / p90 / max), AUC; agreement of lexical and embedding top-1\n"
)
print(
    "| candidate | set | in-scope best cos | out-of-scope best cos | AUC | in-scope: top-1s agree (of which right) | out-of-scope: top-1s agree |"
)
print("|---|---|---|---|---|---|---|")
for r in R:
    for s in SETS:
        row = r["sets"][s]
        b = row["best_cos"]
        a = row["agreement_in_scope"]
        print(
            f"| {r['candidate']} | {short[s]} | {' / '.join(f'{x:.3f}' for x in b['in_scope'])} | {' / '.join(f'{x:.3f}' for x in b['out_of_scope'])} | {b['auc']:.3f} | {a['agree']} ({a['agree_and_right']}) | {row['agreement_out_of_scope']} |"
        )
print()
print("### Parameters chosen on questions.yaml\n")
print(
    "| candidate | docs | hybrid (cands/fusion/w; tied w) | tune top-1/top-3 lexical → best hybrid | t (agreement, lexical) | t (agreement, hybrid) | t_emb |"
)
print("|---|---|---|---|---|---|---|")
for r in R:
    h = r["hybrid"]
    g = r["signal"]
    print(
        f"| {r['candidate']} | {r['docset']} | {h['candidates']}/{h['fusion']}/{h['w']}; {h['tied_w']} | {tuple(h['lexical_tune'])} → {tuple(h['best_tune'])} | {g['t_on_lexical']:.3f} | {g['t_on_hybrid']:.3f} | {r['t_emb_only']:.3f} |"
    )
print()
P = json.loads((H / "perf.json").read_text())
print("### Cost per candidate (fresh process each)\n")
print(
    "| candidate | threads | load s | RSS MB before model → loaded → after the timed questions (20 + 608 embeddings) | embed one question ms, CPU p50 / p95 | wall p50 / p95 | load avg | install MB (package / with deps) |"
)
print("|---|---|---|---|---|---|---|---|")
for p in P:
    print(
        f"| {p['candidate']} | {p['threads']} | {p['load_s']} | {p['rss_mb_before_model']} → {p['rss_mb_model_loaded']} → {p['rss_mb_after_queries']} | {p['cpu_ms_p50']} / {p['cpu_ms_p95']} | {p['wall_ms_p50']} / {p['wall_ms_p95']} | {p['loadavg_1min']:.1f} | {p['install_mb_package_only']} / {p['install_mb_with_deps']} |"
    )
print()
E = json.loads((H / "e2e.json").read_text())
print(
    "### Whole search, single thread, lexical k=10 alone vs + semantic signal, timed alternately per question (ms, CPU p50 / p95; wall p50 / p95)\n"
)
print(
    "| candidate | shipped (87 sections): lexical | shipped: + semantic | 10,000 sections: lexical | 10,000: + semantic | cosine+best-per-routine only, 87 / 10,000 (CPU p50) |"
)
print("|---|---|---|---|---|---|")


def f(d):
    return f"{d['cpu_p50']} / {d['cpu_p95']} (wall {d['wall_p50']} / {d['wall_p95']})"


for e in E:
    if "base" in e.get("shipped", {}):
        print(
            f"| {e['candidate']} | {f(e['shipped']['base'])} | {f(e['shipped']['with'])} | {f(e['10k']['base'])} | {f(e['10k']['with'])} | {e['cosine_only_shipped']['cpu_p50']} / {e['cosine_only_10k']['cpu_p50']} |"
        )
for e in E:
    if "base" not in e.get("shipped", {}):
        print(f"\n{e['candidate']}: shipped {f(e['shipped'])}; 10k {f(e['10k'])}")
