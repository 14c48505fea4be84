"""Issue 13: an office's own Word handbook answers questions straight after the import, whatever
shape the document has, with no field filled in by hand.

Each shape of tests/word_shapes.py (the shipped routines' text as real offices lay it out in
Word) goes through ``python -m handbook import``; then ``check`` must find no error, every routine
must come out under its own title, with its chapter as its theme where the document has
chapters, and the tuning questions (tests/eval/questions.yaml, matched by title) must find the
right routine at top-1 as often as the floor says. Every routine must be the top answer to at
least one of them. bench/word_import_eval.py prints the same figures, blind sets included.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from docx import Document
from docx.shared import Pt

from handbook.__main__ import main
from handbook.check import check, errors
from handbook.docx_import import import_docx
from handbook.service import Handbook
from tests.eval.harness import evaluate, load_questions
from tests.word_shapes import SHAPES, shipped_routines

# Measured on 2026-12-04: 81.6 % on every shape (the shipped handbook, with its hand-written
# synonyms and tags: 91.2 %). The floor is a regression alarm a little under the measure.
TOP1_FLOOR = 0.79
TOP3_FLOOR = 0.92
IMPORTED_SHAPES = [name for name in SHAPES if name != "not-a-docx"]


@pytest.fixture(scope="module")
def routines():
    return shipped_routines()


@pytest.fixture(scope="module")
def questions(routines):
    titles = {r.id: r.title for r in routines}
    return [replace(q, expect=titles[q.expect]) if q.expect else q for q in load_questions()]


@pytest.mark.parametrize("shape", IMPORTED_SHAPES)
def test_each_shape_imports_and_answers_at_once(shape, routines, questions, tmp_path, capsys):
    generated = SHAPES[shape](tmp_path / f"{shape}.docx", routines)
    out = tmp_path / "handbok"
    assert main(["import", str(generated.files[0]), "--out", str(out)]) == 0
    capsys.readouterr()
    assert errors(check(out)) == []
    handbook = Handbook.open(out, index_dir=None)
    try:
        titles = [r.title for r in handbook.routines]
        assert sorted(titles) == sorted(generated.titles)
        if shape == "chapters":
            themes = {r.title: r.theme for r in handbook.routines}
            assert themes == {r.title: r.theme for r in routines}

        answered: set[str] = set()

        def rank(text: str) -> tuple[list[str], bool]:
            result = handbook.search(text, k=3)
            found = [hit.title for hit in result.hits]
            answered.update(found[:1])
            return found, result.confident

        score = evaluate(questions, rank)
        misses = "\n".join(f"{q.text!r}: {q.expect}, got {ids}" for q, ids, _ in score.misses)
        assert score.top1_rate >= TOP1_FLOOR, misses
        assert score.top3_rate >= TOP3_FLOOR, misses
        assert {r.title for r in routines} <= answered  # no routine out of reach
        for question, title in generated.questions:
            assert title in [hit.title for hit in handbook.search(question).hits], question
    finally:
        handbook.close()


def test_a_file_that_is_not_a_word_document_is_refused_and_nothing_is_written(
    routines, tmp_path, capsys
):
    generated = SHAPES["not-a-docx"](tmp_path / "ikke-word.docx", routines)
    messages = []
    for path in generated.files:
        out = tmp_path / f"{path.stem}-ut"
        assert main(["import", str(path), "--out", str(out)]) == 1
        assert not out.exists()
        messages.append(capsys.readouterr().err)
    assert "det er en annen filtype som har fått navnet .docx" in messages[0]
    assert "er en zip-fil, men ikke et Word-dokument (.docx): Word-delene mangler" in messages[1]
    assert not [m for m in messages if "Error" in m]  # no Python exception names


def test_the_preface_keeps_no_table_of_contents_typed_by_hand(routines, tmp_path, capsys):
    generated = SHAPES["table-of-contents-typed"](tmp_path / "h.docx", routines)
    out = tmp_path / "handbok"
    assert main(["import", str(generated.files[0]), "--out", str(out)]) == 0
    notes = capsys.readouterr().out
    preface = out / "_forord.md"
    assert not preface.exists() or "......" not in preface.read_text(encoding="utf-8")
    assert "innholdsfortegnelse (den lages ikke på nytt) er ikke tatt med" in notes


def test_outline_of_a_document_without_heading_styles(tmp_path):
    """Bold or larger lines are headings, a bold sentence in the text is not; outline numbers
    give the level."""
    d = Document()

    def line(text: str, size: int = 11, bold: bool = False) -> None:
        run = d.add_paragraph().add_run(text)
        run.font.size, run.bold = Pt(size), bold

    line("Muntlige søknader", 16, bold=True)
    line("En søknad kan komme muntlig.")
    line("Slik registrerer du", 12, bold=True)
    line("Skriv ned søknaden samme dag.")
    line("Husk dette.", bold=True)  # a bold sentence: ends with a full stop, not a heading
    line("2 Klage på vedtak", bold=True)
    line("2.1 Frister")
    line("Klagefristen er tre uker.")
    path = tmp_path / "h.docx"
    d.save(path)
    result = import_docx(path)
    assert sorted(result.files) == ["klage-pa-vedtak.md", "muntlige-soknader.md"]
    muntlig = result.files["muntlige-soknader.md"]
    assert "\n## Slik registrerer du\nSkriv ned søknaden samme dag.\n\n**Husk dette.**\n" in muntlig
    assert "\n## Frister\nKlagefristen er tre uker.\n" in result.files["klage-pa-vedtak.md"]
