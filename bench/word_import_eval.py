"""Word import by document shape: what ``python -m handbook import`` makes of each, and how well
the search then answers the evaluation questions.

    .venv/bin/python bench/word_import_eval.py [--pages 300]

For each shape in tests/word_shapes.py: generate the .docx from the shipped routines, import it in a
fresh process (timed, with its peak memory from ``os.wait4``), run ``python -m handbook check`` on
the result, then ask every in-scope question of questions.yaml (the tuning set) and the blind
sets holdout.yaml, holdout2.yaml and holdout3.yaml (plus the shape's own questions) of ``Handbook.open(<dir>)``. Imported ids are slugs of the Word
titles, so a hit counts as right when its routine's TITLE is the expected routine's title. Then
the same figures for the shipped handbook, and the import of a ``--pages`` document. Asserts nothing.

The shapes are imported as an office would, lending on (handbook.counterpart): each routine
borrows the example questions, tags and synonyms of the shipped routine on its topic. The shapes
are made FROM the shipped routines, so there the borrowing is exact by construction and their
figures measure the import's reading of the document, not what borrowing is worth. That is
measured on the independently written handbook of tests/other_office.py (another office's text,
its own titles), imported with and without lending and scored by topic (``TOPIC_OF``).
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from handbook.import_fields import parse_date  # noqa: E402
from handbook.legal import find_refs  # noqa: E402
from handbook.loader import routine_files  # noqa: E402
from handbook.service import SHIPPED_HANDBOOK, Handbook  # noqa: E402
from tests.eval.harness import Question, Score, evaluate, load_questions  # noqa: E402
from tests.other_office import TOPIC_OF, write_docx  # noqa: E402
from tests.word_shapes import SHAPES, Generated, shipped_routines, sized  # noqa: E402

TUNING = "questions.yaml"
QUESTION_SETS = (TUNING, "holdout.yaml", "holdout2.yaml", "holdout3.yaml")
SUMMARY: list[tuple[str, Score, Score, float]] = []  # shape, tuning, blind, import seconds
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# Notes the import writes for every routine of these shapes; the others are printed.
TODO_NOTE = re.compile(r"dokumentet sier ikke .*; står som TODO")
MAX_NOTES = 6


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float


def run(*args: str) -> Run:
    """``python -m handbook ARGS`` in a fresh process: its output, wall time and peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "handbook", *args], stdout=out, stderr=err, cwd=ROOT, env=ENV
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        return Run(
            child.returncode,
            out.read().decode(),
            err.read().decode(),
            seconds,
            usage.ru_maxrss / 1024,
        )


def check_counts(directory: Path) -> tuple[int, int]:
    """(errors, warnings) from ``python -m handbook check``'s summary line."""
    summary = re.search(r"(\d+) feil, (\d+) advarsel", run("check", str(directory)).err)
    return (int(summary[1]), int(summary[2])) if summary else (-1, -1)


def eval_questions(titles: dict[str, str] | None = None) -> list[Question]:
    """Every in-scope question, its ``expect`` turned from a shipped id into that routine's title
    (``titles``: shipped id → title; by default the shipped routines' own)."""
    titles = titles or {r.id: r.title for r in shipped_routines()}
    return [
        Question(q.text, titles.get(q.expect), name)  # kind: the set it comes from
        for name in QUESTION_SETS
        for q in load_questions(name)
    ]


@dataclass
class Asked:
    """Every question asked once of one handbook: the whole score, and the score of any subset
    from the same answers (by title)."""

    questions: list[Question]
    answers: dict[str, tuple[list[str], bool]]
    score: Score
    searchable: int
    never: int  # routines (files) never returned by any question
    empty: int  # questions with no hit at all

    def subset(self, questions: list[Question]) -> Score:
        return evaluate(questions, self.answers.__getitem__)

    def split(self) -> tuple[Score, Score]:
        """(tuning set, blind sets), as SUMMARY keeps them."""
        return (
            self.subset([q for q in self.questions if q.kind == TUNING]),
            self.subset([q for q in self.questions if q.kind != TUNING]),
        )


def ask(directory: Path, questions: list[Question]) -> Asked:
    """Score by title; also routines searchable, routines (files) never returned by any question,
    and questions with no hit at all."""
    handbook = Handbook.open(directory, index_dir=None)
    files = {path.stem for path in routine_files(directory)}
    returned: set[str] = set()
    answers: dict[str, tuple[list[str], bool]] = {}

    def rank(text: str) -> tuple[list[str], bool]:
        if text not in answers:
            result = handbook.search(text, k=3)
            returned.update(hit.routine_id for hit in result.hits)
            answers[text] = ([hit.title for hit in result.hits], result.confident)
        return answers[text]

    try:
        score = evaluate(questions, rank)
        searchable = len(handbook.routines)
    finally:
        handbook.close()
    empty = sum(1 for titles, _ in answers.values() if not titles)
    return Asked(questions, answers, score, searchable, len(files - returned), empty)


def front_matter(directory: Path) -> dict[str, dict]:
    """Title → front matter of each imported routine."""
    found = {}
    for path in sorted(directory.glob("*.md")):
        if path.name.startswith("_"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1]) or {}
        found[str(data.get("title"))] = data
    return found


def metadata_found(generated: Generated, directory: Path) -> tuple[int, int, list[str]]:
    """How many stated metadata lines reached the front matter, and the lines that did not."""
    imported = front_matter(directory)
    stated = found = 0
    misses: list[str] = []
    for title, lines in generated.stated.items():
        data = imported.get(title, {})
        for entry in lines:
            stated += 1
            value = data.get(entry.field, "TODO")
            if entry.field == "legal":
                wanted = {hit.ref.text for hit in find_refs(entry.value)}
                right = isinstance(value, list) and wanted <= set(value)
            elif entry.field == "owner":
                right = value == entry.value
            else:
                right = str(value) == str(parse_date(entry.value))
            found += right
            if not right:
                misses.append(f"«{entry.line}» → {entry.field}: {value}")
    return found, stated, misses


def pct(rate: float) -> str:
    return f"{100 * rate:5.1f} %"


def score_line(score: Score) -> str:
    return (
        f"{score.in_scope} asked, top-1 {pct(score.top1_rate)}, top-3 {pct(score.top3_rate)}, "
        f"confident {pct(score.confident_rate)}"
    )


def report_shape(name: str, tmp: Path, questions: list[Question]) -> None:
    source = tmp / f"{name}.docx"
    generated = SHAPES[name](source, shipped_routines())
    print(f"\n== {name}: {len(generated.titles)} routines in the document")
    if name == "not-a-docx":
        for path in generated.files:
            out = tmp / f"{path.stem}-out"
            done = run("import", str(path), "--out", str(out))
            message = done.err.strip().replace(str(tmp) + "/", "")
            wrote = "wrote nothing" if not out.exists() else f"WROTE {len(list(out.iterdir()))}"
            print(f"   {path.name}: exit {done.code}, {wrote}: {message}")
        return
    out = tmp / f"{name}-out"
    done = run("import", str(source), "--out", str(out))
    if done.code != 0:
        print(f"   import FAILED (exit {done.code}) in {done.seconds:.2f} s: {done.err.strip()}")
        return
    files = [p for p in out.glob("*.md") if not p.name.startswith("_")]
    titles = set(front_matter(out))
    lost = [t for t in generated.titles if t not in titles]
    errors, warnings = check_counts(out)
    asked = ask(out, questions)
    score, searchable, never, empty = asked.score, asked.searchable, asked.never, asked.empty
    SUMMARY.append((name, *asked.split(), done.seconds))
    print(
        f"   routines found {len(files)} ({len(generated.titles) - len(lost)} with the right title), "
        f"import {done.seconds:.2f} s, {len(done.out.splitlines())} notes, "
        f"check {errors} errors / {warnings} warnings"
    )
    print(
        f"   search: {searchable} routines searchable, {score_line(score)}; "
        f"{never} routines never returned, {empty} questions with no hit"
    )
    if generated.questions:
        own = ask(out, [Question(q, title, "own") for q, title in generated.questions]).score
        print(f"   own questions: {score_line(own)}")
    if generated.stated:
        found, stated, misses = metadata_found(generated, out)
        print(f"   metadata: {found} of {stated} stated fields reached the front matter")
        for miss in sorted(set(misses))[:MAX_NOTES]:
            print(f"     missed: {miss}")
    if lost:
        print(f"   titles not found: {len(lost)}, e.g. {', '.join(lost[:3])}")
    notes = [n.split(": ", 1)[1] for n in done.out.splitlines() if not TODO_NOTE.search(n)]
    todo = len(done.out.splitlines()) - len(notes)
    print(f"   notes: {todo} «står som TODO», {len(notes)} other" + (":" if notes else ""))
    for note in notes[:MAX_NOTES]:
        print(f"     {note}")
    if len(notes) > MAX_NOTES:
        print(f"     … and {len(notes) - MAX_NOTES} more")


def report_other_office(tmp: Path) -> None:
    """The independently written handbook (tests/other_office.py), imported with and without
    what the shipped counterparts lend (handbook.counterpart), scored by topic."""
    source = tmp / "other-office.docx"
    write_docx(source)
    questions = eval_questions({topic: title for title, topic in TOPIC_OF.items()})
    print(
        f"\n== an independently written handbook (tests/other_office.py): {len(TOPIC_OF)} routines"
    )
    for label, flags in (("as imported, nothing lent", ("--no-lend",)), ("with lending", ())):
        out = tmp / f"other-office-{len(flags)}"
        done = run("import", str(source), "--out", str(out), *flags)
        if done.code != 0:
            print(f"   import FAILED (exit {done.code}): {done.err.strip()}")
            return
        lent = sum(1 for line in done.out.splitlines() if "lånt fra Rutinebots rutine" in line)
        asked = ask(out, questions)
        matched = _lent_topics(out)
        right = sum(1 for title, topic in matched.items() if TOPIC_OF.get(title) == topic)
        print(
            f"   {label}: {score_line(asked.score)}"
            + (f"; {lent} routines borrowed, {right} of them from the right topic" if lent else "")
        )
        SUMMARY.append((f"other office, {label}", *asked.split(), done.seconds))


def _lent_topics(directory: Path) -> dict[str, str]:
    """Title → the shipped routine id it borrowed from (read back from the origin comment)."""
    titles = {r.title: r.id for r in shipped_routines()}
    found = {}
    for path in sorted(directory.glob("*.md")):
        if path.name.startswith("_"):
            continue
        text = path.read_text(encoding="utf-8")
        origin = re.search(r"lånt fra Rutinebots rutine «(.+?)»", text)
        data = yaml.safe_load(text.split("---", 2)[1]) or {}
        if origin and origin[1] in titles:
            found[str(data.get("title"))] = titles[origin[1]]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="only these")
    args = parser.parse_args()
    logging.getLogger("handbook").setLevel(logging.ERROR)  # each broken file is counted, not logged
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )
    questions = eval_questions()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.shape or SHAPES:
            report_shape(name, Path(tmp), questions)
        report_other_office(Path(tmp))

        asked = ask(SHIPPED_HANDBOOK, questions)
        print(f"\n== shipped handbook (for comparison): {asked.searchable} routines")
        print(
            f"   search: {score_line(asked.score)}; {asked.never} routines never returned, "
            f"{asked.empty} questions with no hit"
        )
        SUMMARY.append(("shipped handbook", *asked.split(), 0.0))
        print(
            "\n| shape | tuning top-1 / top-3 | blind top-1 / top-3 | confident (tuning / blind) "
            "| confident and wrong | out of scope confident |\n|---|---:|---:|---:|---:|---:|"
        )
        for name, t, b, _ in SUMMARY:
            print(
                f"| {name} | {pct(t.top1_rate)} / {pct(t.top3_rate)} | {pct(b.top1_rate)} / "
                f"{pct(b.top3_rate)} | {pct(t.confident_rate)} / {pct(b.confident_rate)} | "
                f"{t.confident_wrong} / {b.confident_wrong} | "
                f"{t.out_of_scope - t.rejected + b.out_of_scope - b.rejected} of "
                f"{t.out_of_scope + b.out_of_scope} |"
            )
        t, b = SUMMARY[-1][1], SUMMARY[-1][2]
        print(
            f"(tuning: {TUNING}, {t.in_scope} in scope + {t.out_of_scope} out; blind: the "
            f"holdouts, {b.in_scope} + {b.out_of_scope})"
        )

        source = Path(tmp) / "sized.docx"
        started = time.perf_counter()
        generated = sized(source, args.pages)
        made = time.perf_counter() - started
        out = Path(tmp) / "sized-out"
        done = run("import", str(source), "--out", str(out))
        print(
            f"\n== sized: {args.pages} pages, {len(generated.titles)} routines, "
            f"{source.stat().st_size / 1e6:.1f} MB .docx (generated in {made:.1f} s)"
        )
        print(
            f"   import exit {done.code}: {done.seconds:.2f} s wall, peak memory "
            f"{done.peak_mb:.0f} MB (maxrss of the import process), "
            f"{len(routine_files(out)) if out.is_dir() else 0} routine files"
        )


if __name__ == "__main__":
    main()
