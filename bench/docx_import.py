"""Import speed and memory for a 300-page Word handbook.

    make bench-import     # or: .venv/bin/python bench/docx_import.py [--pages 300]

Generates a realistic handbook with python-docx (many routines, each with "Ansvarlig"/"Revidert"
lines, sections, nested bulleted and numbered lists, a table, bold and italic, sentences remixed
from the shipped routines), then times ``python -m handbook import`` in a fresh process and reads
its peak memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``). A page is counted as 450 words
(A4, 11 pt, with lists and tables). Asserts nothing; targets: under 10 s and under 300 MB.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from handbook.check import check, errors  # noqa: E402
from handbook.service import SHIPPED_HANDBOOK  # noqa: E402

WORDS_PER_PAGE = 450


def sentences() -> list[str]:
    text = " ".join(
        path.read_text(encoding="utf-8").split("---", 2)[2]
        for path in sorted((SHIPPED_HANDBOOK / "routines").glob("*.md"))
    )
    text = re.sub(r"[#*\[\]()]|rutine:[\w-]+|^\s*[-\d.]+\s", " ", text, flags=re.MULTILINE)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 5]


def generate(path: Path, pages: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    pool = sentences()
    topics = [s.split()[:4] for s in pool]
    d = docx.Document()
    d.add_paragraph("Rutinehåndbok for sosiale tjenester. " + " ".join(rng.sample(pool, 3)))
    words, routine = 0, 0
    while words < pages * WORDS_PER_PAGE:
        routine += 1
        title = " ".join(rng.choice(topics)).strip(".,:;") + f" {routine}"
        d.add_heading(title, 1)
        d.add_paragraph("Ansvarlig: Fagansvarlig sosiale tjenester")
        d.add_paragraph(f"Revidert: {rng.randint(1, 28)}.{rng.randint(1, 12)}.2026")
        for section in range(rng.randint(3, 6)):
            d.add_heading(" ".join(rng.choice(topics)).strip(".,:;"), 2)
            for _ in range(rng.randint(1, 3)):
                paragraph = d.add_paragraph(" ".join(rng.sample(pool, 2)) + " ")
                paragraph.add_run(rng.choice(pool)).bold = True
                paragraph.add_run(" " + rng.choice(pool)).italic = True
                words += sum(len(r.text.split()) for r in paragraph.runs)
            for item in range(rng.randint(2, 6)):
                style = "List Number" if section % 2 else "List Bullet"
                text = rng.choice(pool)
                d.add_paragraph(text, style=style)
                words += len(text.split())
                if item % 2:
                    sub = rng.choice(pool)
                    d.add_paragraph(sub, style="List Bullet 2")
                    words += len(sub.split())
            if section == 1:
                table = d.add_table(rows=4, cols=3)
                for row in table.rows:
                    for cell in row.cells:
                        cell.text = " ".join(rng.choice(pool).split()[:6])
                        words += 6
    d.save(path)
    return routine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "rutinehandbok.docx"
        started = time.perf_counter()
        routines = generate(source, args.pages)
        made = time.perf_counter() - started
        out = Path(tmp) / "handbok"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "handbook", "import", str(source), "--out", str(out)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        took = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode != 0:
            sys.exit(f"import failed: {done.stderr}")
        problems = check(out)
        files = len(list(out.glob("*.md")))
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
        )
        print(
            f"generated: {args.pages} pages ({args.pages * WORDS_PER_PAGE} words), {routines} routines, "
            f"{source.stat().st_size / 1e6:.1f} MB .docx, in {made:.1f} s"
        )
        print(
            f"import:    {took:.2f} s wall, peak memory {peak_mb:.0f} MB (maxrss of the import process)"
        )
        print(
            f"result:    {files} files, {len(done.stdout.splitlines())} notes, "
            f"check: {len(errors(problems))} errors, {len(problems) - len(errors(problems))} warnings"
        )


if __name__ == "__main__":
    main()
