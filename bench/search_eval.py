"""Search quality and latency: our search against a plain SQLite FTS5 baseline, in one run.

    make bench            # or: .venv/bin/python bench/search_eval.py [--sections 10000] [--misses]

Prints top-1/top-3 accuracy and out-of-scope rejection on tests/eval/questions.yaml (and on the
blind sets tests/eval/holdout.yaml, holdout2.yaml and holdout3.yaml when present, which the search
was not tuned on), the precision/coverage curve of the confidence value per set, then p50/p95
search latency for both engines on the shipped handbook and on a generated handbook of
--sections sections.
Asserts nothing: the figures are for docs/benchmarks.md and for people.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handbook import Handbook  # noqa: E402
from handbook.confidence import THRESHOLD  # noqa: E402
from handbook.index import indexed_sections, plain_text  # noqa: E402
from handbook.loader import load_handbook  # noqa: E402
from handbook.service import SHIPPED_HANDBOOK  # noqa: E402
from tests.eval.harness import (  # noqa: E402
    Score,
    confidence_curve,
    evaluate,
    handbook_ranker,
    judge,
    load_questions,
)

SETS = ("questions.yaml", "holdout.yaml", "holdout2.yaml", "holdout3.yaml")
CURVE = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


class Fts5Baseline:
    """The obvious alternative: SQLite FTS5 (unicode61, diacritics removed), BM25, words OR-ed."""

    def __init__(self, directory: Path):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE sections USING fts5(routine UNINDEXED, title, heading, body,"
            " tokenize='unicode61 remove_diacritics 2')"
        )
        for parsed in load_handbook(directory).routines:
            routine = parsed.routine
            for section in indexed_sections(routine):
                self.db.execute(
                    "INSERT INTO sections VALUES (?, ?, ?, ?)",
                    (routine.id, routine.title, section.heading, plain_text(section.body)),
                )

    def rank(self, text: str) -> tuple[list[str], bool]:
        words = re.findall(r"[^\W_]+", text.lower())[:60]
        if not words:
            return [], False
        match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = self.db.execute(
            "SELECT routine FROM sections WHERE sections MATCH ? ORDER BY bm25(sections) LIMIT 30",
            (match,),
        ).fetchall()
        ids: list[str] = []
        for (routine,) in rows:
            if routine not in ids:
                ids.append(routine)
        return ids[:3], bool(ids)


def searched_sections(routines) -> int:
    """How many sections the search has to choose from (introductions included)."""
    return sum(1 for routine in routines for _ in indexed_sections(routine))


def latency(rank, questions: list[str], rounds: int) -> tuple[float, float]:
    for text in questions:  # warm-up
        rank(text)
    samples = []
    for _ in range(rounds):
        for text in questions:
            start = time.perf_counter()
            rank(text)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def generate_handbook(target: Path, sections: int, seed: int = 17) -> None:
    """A large synthetic handbook: the shipped sections' sentences remixed, with new words mixed in
    so the vocabulary grows as a real handbook's would."""
    rng = random.Random(seed)
    loaded = load_handbook(SHIPPED_HANDBOOK)
    sentences = [
        s
        for p in loaded.routines
        for section in p.routine.sections
        for s in re.split(r"(?<=[.!?])\s+", plain_text(section.body))
        if len(s) > 30
    ]
    vocabulary = sorted({w for s in sentences for w in re.findall(r"[a-zæøå]{5,}", s.lower())})
    invented = [
        "".join(rng.choice("bdfgklmnprstv") + rng.choice("aeiouyæøå") for _ in range(4))
        for _ in range(5000)
    ]
    per_routine = 10
    for number in range(sections // per_routine):
        words = rng.sample(vocabulary, 2) + [rng.choice(invented)]
        lines = [
            "---",
            f"id: generert-{number:05d}",
            f"title: {' '.join(words).capitalize()}",
            "owner: Fagansvarlig sosiale tjenester",
            "revised: 2026-09-01",
            "review_by: 2027-09-01",
            "legal:",
            f"  - sosialtjenesteloven § {rng.choice([4, 5, 17, 18, 19, 27, 41, 43])}",
            "---",
        ]
        for index in range(per_routine):
            lines.append(f"\n## {rng.choice(vocabulary).capitalize()} {index + 1}")
            body = rng.sample(sentences, 4) + [" ".join(rng.sample(invented, 6)) + "."]
            lines.append(" ".join(body))
        (target / f"generert-{number:05d}.md").write_text("\n".join(lines), encoding="utf-8")


def report(name: str, ours: Score, baseline: Score) -> None:
    print(f"\n{name}: {ours.in_scope} in scope, {ours.out_of_scope} out of scope")
    print(f"  {'':28} {'Rutinebot':>10} {'FTS5':>10}")
    for label, a, b in (
        ("top-1 accuracy", ours.top1_rate, baseline.top1_rate),
        ("top-3 accuracy", ours.top3_rate, baseline.top3_rate),
        ("out-of-scope not confident", ours.rejection_rate, baseline.rejection_rate),
        ("in-scope answered confident", ours.confident_rate, baseline.confident_rate),
    ):
        print(f"  {label:28} {a:>9.1%} {b:>9.1%}")
    print(f"  confident but wrong (in scope): {ours.confident_wrong}")
    print(
        f"  confident and right: {ours.confident_in_scope - ours.confident_wrong} of "
        f"{ours.in_scope} in scope = "
        f"{_share(ours.confident_in_scope - ours.confident_wrong, ours.in_scope):.1%}; "
        f"out of scope confident: {ours.out_of_scope - ours.rejected}"
    )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--misses", action="store_true", help="list the dev set's misses")
    args = parser.parse_args()
    print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )
    print(f"memory before the handbook is opened: {rss_mb():.0f} MB resident")

    with tempfile.TemporaryDirectory() as tmp:
        handbook = Handbook.open(SHIPPED_HANDBOOK, index_dir=Path(tmp) / "index")
        handbook.search("første spørsmål")  # the lazy parts (word list, searcher) are loaded
        print(f"memory with the shipped handbook open: {rss_mb():.0f} MB resident")
        baseline = Fts5Baseline(SHIPPED_HANDBOOK)
        ours_rank = handbook_ranker(handbook)
        all_questions = []
        for name in SETS:
            try:
                questions = load_questions(name)
            except FileNotFoundError:
                continue
            all_questions += [q.text for q in questions]
            ours = evaluate(questions, ours_rank)
            report(name, ours, evaluate(questions, baseline.rank))
            print(f"  confidence curve (operating point {THRESHOLD}):")
            print("\n".join(confidence_curve(judge(questions, handbook), (*CURVE, THRESHOLD))))
            if args.misses and name == "questions.yaml":
                for question, ids, confident in ours.misses:
                    print(
                        f"    miss: {question.text!r} expect={question.expect} got={ids[:3]} "
                        f"confident={confident}"
                    )

        sections = searched_sections(handbook.routines)
        print(
            f"\nlatency per question, ms (p50 / p95), {len(all_questions)} questions × "
            f"{args.rounds} rounds"
        )
        p50, p95 = latency(ours_rank, all_questions, args.rounds)
        b50, b95 = latency(baseline.rank, all_questions, args.rounds)
        print(
            f"  shipped handbook ({sections} sections): Rutinebot {p50:.2f} / {p95:.2f}   "
            f"FTS5 {b50:.2f} / {b95:.2f}   (p95 ratio Rutinebot / FTS5: {p95 / b95:.1f})"
        )
        handbook.close()

        if args.sections:
            big = Path(tmp) / "big"
            big.mkdir()
            generate_handbook(big, args.sections)
            start = time.perf_counter()
            large = Handbook.open(big, index_dir=Path(tmp) / "big-index")
            built = time.perf_counter() - start
            large_baseline = Fts5Baseline(big)
            sections = searched_sections(large.routines)
            p50, p95 = latency(handbook_ranker(large), all_questions, max(1, args.rounds // 2))
            b50, b95 = latency(large_baseline.rank, all_questions, max(1, args.rounds // 2))
            print(
                f"  generated handbook ({sections} sections, indexed in {built:.1f} s): "
                f"Rutinebot {p50:.2f} / {p95:.2f}   FTS5 {b50:.2f} / {b95:.2f}   "
                f"(p95 ratio Rutinebot / FTS5: {p95 / b95:.1f}); memory {rss_mb():.0f} MB resident"
            )
            large.close()


if __name__ == "__main__":
    main()
