"""Quality of each candidate: embedding alone, hybrid (lexical top-10 re-scored), and the
agreement confidence signal. Every parameter is chosen on questions.yaml only and then applied
unchanged to holdout.yaml and holdout2.yaml. Counting: tests.eval.harness.evaluate.

    venv/bin/python evaluate.py            # needs cache/ from embed.py; writes results.json
"""

from __future__ import annotations

import json
import sys

import common
import numpy as np

from tests.eval.harness import evaluate  # noqa: E402  (project code, read-only)

TUNE = "questions.yaml"
LEX = json.loads((common.CACHE / "lexical.json").read_text())
QUESTIONS = {s: common.load_set(s) for s in common.SETS}
for s in common.SETS:  # the cache is aligned with the question files
    assert [r["q"] for r in LEX[s]] == [q.text for q in QUESTIONS[s]]

LIN_W = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 50]
RRF_W = [0, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10]
RRF_K = 60


def score(setname, ranked):
    """ranked: list (per question) of (ids, confident) -> harness Score."""
    table = {q.text: r for q, r in zip(QUESTIONS[setname], ranked, strict=False)}
    return evaluate(QUESTIONS[setname], lambda text: table[text])


def figures(s):
    answered = s.confident_in_scope + (s.out_of_scope - s.rejected)
    right = s.confident_in_scope - s.confident_wrong
    return {
        "in_scope": s.in_scope,
        "out_of_scope": s.out_of_scope,
        "top1": s.top1,
        "top3": s.top3,
        "top1_rate": s.top1_rate,
        "top3_rate": s.top3_rate,
        "rejected": s.rejected,
        "rejection_rate": s.rejection_rate,
        "confident_in_scope": s.confident_in_scope,
        "confident_rate": s.confident_rate,
        "confident_wrong_in_scope": s.confident_wrong,
        "confident_out_of_scope": s.out_of_scope - s.rejected,
        "confident_precision": right / answered if answered else None,
    }


def auc(pos, neg):
    pos, neg = np.asarray(pos), np.asarray(neg)
    if not len(pos) or not len(neg):
        return None
    gt = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(gt / (len(pos) * len(neg)))


class Candidate:
    def __init__(self, name):
        z = np.load(common.CACHE / f"{name}.npz")
        self.name = name
        self.routines = sorted(set(z["sec_ids"].tolist()))
        self.docs = {
            "sec": (z["sec_ids"], z["sec"]),
            "sec+card": (
                np.concatenate([z["sec_ids"], z["card_ids"]]),
                np.concatenate([z["sec"], z["card"]]),
            ),
        }
        self.q = {s: z["q:" + s] for s in common.SETS}

    def routine_cos(self, setname, docset):
        """(questions × routines) best cosine over each routine's documents."""
        ids, mat = self.docs[docset]
        sims = self.q[setname] @ mat.T
        out = np.full((sims.shape[0], len(self.routines)), -1.0, dtype=np.float32)
        for j, rid in enumerate(self.routines):
            out[:, j] = sims[:, ids == rid].max(axis=1)
        return out


def emb_rank(cos_row, routines):
    order = np.argsort(-cos_row, kind="stable")
    return [routines[i] for i in order]


def hybrid(lex, cos_row, routines, fusion, w, cand):
    ids = list(lex["ids"])
    scores = dict(zip(lex["ids"], lex["scores"], strict=False))
    e_order = emb_rank(cos_row, routines)
    if cand == "lex10+emb3":
        for r in e_order[:3]:
            if r not in ids:
                ids.append(r)
    if not ids:
        return []
    cos = dict(zip(routines, cos_row.tolist(), strict=False))
    top = max(scores.values()) if scores else 1.0
    e_rank = {r: i + 1 for i, r in enumerate(e_order)}
    l_rank = {r: i + 1 for i, r in enumerate(lex["ids"])}

    def s(r):
        if fusion == "lin":
            return scores.get(r, 0.0) / top + w * cos[r]
        return 1 / (RRF_K + l_rank.get(r, 1000)) + w / (RRF_K + e_rank[r])

    # stable: ties keep the lexical order
    return sorted(ids, key=lambda r: -s(r))


def run(name):
    c = Candidate(name)
    out = {"candidate": name, "sets": {}}

    # --- embedding alone: choose the document set on the tuning set -------------------
    def emb_only(setname, docset, t=None):
        cos = c.routine_cos(setname, docset)
        return [(emb_rank(row, c.routines), bool(t is not None and row.max() > t)) for row in cos]

    best_doc = max(
        ("sec", "sec+card"),
        key=lambda d: (score(TUNE, emb_only(TUNE, d)).top1, score(TUNE, emb_only(TUNE, d)).top3),
    )
    out["docset"] = best_doc

    # embedding-only confidence threshold: best balanced accuracy in/out of scope on TUNE
    cos_t = c.routine_cos(TUNE, best_doc).max(axis=1)
    inscope = np.array([q.expect is not None for q in QUESTIONS[TUNE]])
    cands = np.unique(cos_t)
    bal = [((cos_t[inscope] > t).mean() + (cos_t[~inscope] <= t).mean()) / 2 for t in cands]
    t_emb = float(cands[int(np.argmax(bal))])
    out["t_emb_only"] = t_emb

    # --- hybrid: choose fusion, candidate set and weight on the tuning set -------------
    cos_tune = c.routine_cos(TUNE, best_doc)
    grid = []
    for cand in ("lex10", "lex10+emb3"):
        for fusion, ws in (("lin", LIN_W), ("rrf", RRF_W)):
            for w in ws:
                ranked = [
                    (hybrid(lex, row, c.routines, fusion, w, cand), False)
                    for lex, row in zip(LEX[TUNE], cos_tune, strict=False)
                ]
                s = score(TUNE, ranked)
                grid.append((cand, fusion, w, s.top1, s.top3))
    best = max((g[3], g[4]) for g in grid)
    # among the best, the first (candidate set, fusion) group in grid order; the median of
    # its tied weights (the middle of the plateau rather than its edge)
    group = next((g[0], g[1]) for g in grid if (g[3], g[4]) == best)
    tied = [g[2] for g in grid if (g[0], g[1]) == group and (g[3], g[4]) == best]
    w_best = tied[len(tied) // 2]
    out["hybrid"] = {
        "candidates": group[0],
        "fusion": group[1],
        "w": w_best,
        "tied_w": tied,
        "lexical_tune": [g for g in grid if g[2] == 0][0][3:],
        "best_tune": best,
        "grid": grid,
    }

    # --- agreement signal threshold, chosen on TUNE: the lowest t that adds no wrong
    #     confident answer (in-scope wrong or out-of-scope) on the tuning set ------------
    def signal_threshold(base):  # base: list of (ids, confident) on TUNE
        cos = c.routine_cos(TUNE, best_doc)
        bad, good = [], []
        for q, (ids, conf), row in zip(QUESTIONS[TUNE], base, cos, strict=False):
            e1 = emb_rank(row, c.routines)[0]
            if conf or not ids or ids[0] != e1:
                continue
            (good if q.expect == ids[0] else bad).append(float(row.max()))
        t = max(bad) if bad else (min(good) - 1e-6 if good else 1.0)
        return t, len(good), len(bad)

    def with_signal(setname, base, t):
        cos = c.routine_cos(setname, best_doc)
        res = []
        for (ids, conf), row in zip(base, cos, strict=False):
            e1 = emb_rank(row, c.routines)[0]
            agree = bool(ids) and ids[0] == e1 and float(row.max()) > t
            res.append((ids, conf or agree))
        return res

    def lexical_base(setname):
        return [(lex["ids"], lex["confident"]) for lex in LEX[setname]]

    def hybrid_base(setname):
        cos = c.routine_cos(setname, best_doc)
        res = []
        for lex, row in zip(LEX[setname], cos, strict=False):
            h = hybrid(lex, row, c.routines, group[1], w_best, group[0])
            res.append((h, lex["confident"] and bool(h) and h[0] == lex["ids"][0]))
        return res

    # control without embeddings: confident also when the lexical top-1 leads the runner-up by
    # a factor > r, r chosen on TUNE the same way (the lowest r adding no wrong answer)
    def ratio(lex):
        sc = lex["scores"]
        return sc[0] / sc[1] if len(sc) > 1 and sc[1] > 0 else (float("inf") if sc else 0.0)

    bad_r = [
        ratio(lex)
        for q, lex in zip(QUESTIONS[TUNE], LEX[TUNE], strict=False)
        if not lex["confident"] and lex["ids"] and lex["ids"][0] != q.expect
    ]
    r_ctl = max(bad_r) if bad_r else 1.0

    def margin_control(setname):
        return [
            (lex["ids"], lex["confident"] or (bool(lex["ids"]) and ratio(lex) > r_ctl))
            for lex in LEX[setname]
        ]

    t_lex, g_lex, b_lex = signal_threshold(lexical_base(TUNE))
    t_hyb, g_hyb, b_hyb = signal_threshold(hybrid_base(TUNE))
    out["signal"] = {
        "t_on_lexical": t_lex,
        "tune_agreeing_unconfident_right": g_lex,
        "tune_agreeing_unconfident_wrong": b_lex,
        "t_on_hybrid": t_hyb,
        "margin_control_ratio": r_ctl,
    }

    for setname in common.SETS:
        cos = c.routine_cos(setname, best_doc)
        best_cos = cos.max(axis=1)
        ins = np.array([q.expect is not None for q in QUESTIONS[setname]])
        row = {
            "lexical": figures(score(setname, lexical_base(setname))),
            "embedding": figures(score(setname, emb_only(setname, best_doc, t_emb))),
            "hybrid": figures(score(setname, hybrid_base(setname))),
            "lexical+signal": figures(
                score(setname, with_signal(setname, lexical_base(setname), t_lex))
            ),
            "hybrid+signal": figures(
                score(setname, with_signal(setname, hybrid_base(setname), t_hyb))
            ),
            "lexical+margin-control": figures(score(setname, margin_control(setname))),
            "best_cos": {
                "in_scope": np.percentile(best_cos[ins], [0, 10, 50, 90, 100]).round(3).tolist(),
                "out_of_scope": np.percentile(best_cos[~ins], [0, 10, 50, 90, 100])
                .round(3)
                .tolist(),
                "auc": auc(best_cos[ins], best_cos[~ins]),
            },
        }
        # agreement of lexical top-1 with embedding top-1, and how often that pair is right
        agree = right = 0
        for q, lex, r in zip(QUESTIONS[setname], LEX[setname], cos, strict=False):
            if q.expect is None or not lex["ids"]:
                continue
            if lex["ids"][0] == emb_rank(r, c.routines)[0]:
                agree += 1
                right += lex["ids"][0] == q.expect
        row["agreement_in_scope"] = {"agree": agree, "agree_and_right": right}
        oos_agree = sum(
            1
            for q, lex, r in zip(QUESTIONS[setname], LEX[setname], cos, strict=False)
            if q.expect is None and lex["ids"] and lex["ids"][0] == emb_rank(r, c.routines)[0]
        )
        row["agreement_out_of_scope"] = oos_agree
        # which questions the signal made confident (kind, right or not)
        base = lexical_base(setname)
        sig = with_signal(setname, base, t_lex)
        row["signal_added"] = [
            {
                "kind": q.kind,
                "right": q.expect is not None and ids[0] == q.expect,
                "out_of_scope": q.expect is None,
            }
            for q, (ids, c0), (_, c1) in zip(QUESTIONS[setname], base, sig, strict=False)
            if c1 and not c0
        ]
        hyb = hybrid_base(setname)
        row["hybrid_changed_top1"] = [
            {
                "kind": q.kind,
                "lexical_right": bool(b[0]) and b[0][0] == q.expect,
                "hybrid_right": bool(h[0]) and h[0][0] == q.expect,
            }
            for q, b, h in zip(QUESTIONS[setname], base, hyb, strict=False)
            if q.expect is not None and b[0][:1] != h[0][:1]
        ]
        out["sets"][setname] = row
    return out


if __name__ == "__main__":
    names = sys.argv[1:] or list(common.CANDIDATES)
    results = [run(n) for n in names]
    (common.HERE / "results.json").write_text(json.dumps(results, indent=1))
    for r in results:
        h = r["hybrid"]
        print(
            f"\n== {r['candidate']}  docs={r['docset']}  hybrid={h['candidates']}/{h['fusion']}"
            f" w={h['w']} (tied {h['tied_w']}) tune lexical={h['lexical_tune']} best={h['best_tune']}"
            f"  t_lex={r['signal']['t_on_lexical']:.3f} t_hyb={r['signal']['t_on_hybrid']:.3f}"
            f" t_emb={r['t_emb_only']:.3f}"
        )
        for s, row in r["sets"].items():
            print(f"  {s}")
            for k in (
                "lexical",
                "embedding",
                "hybrid",
                "lexical+signal",
                "hybrid+signal",
                "lexical+margin-control",
            ):
                f = row[k]
                print(
                    f"    {k:15} top1 {f['top1']:3}/{f['in_scope']} ({f['top1_rate']:.1%})"
                    f" top3 {f['top3']:3} ({f['top3_rate']:.1%})"
                    f" rej {f['rejected']}/{f['out_of_scope']}"
                    f" conf {f['confident_in_scope']} ({f['confident_rate']:.1%})"
                    f" conf-wrong {f['confident_wrong_in_scope']}+{f['confident_out_of_scope']}oos"
                    f" prec {f['confident_precision'] if f['confident_precision'] is None else round(f['confident_precision'], 3)}"
                )
            print(f"    signal added {row['signal_added']}")
            print(f"    hybrid changed {row['hybrid_changed_top1']}")
            print(
                f"    best cos {row['best_cos']}  agree {row['agreement_in_scope']} oos-agree {row['agreement_out_of_scope']}"
            )
