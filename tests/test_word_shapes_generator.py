"""The Word shape generator (tests/word_shapes.py) writes .docx files python-docx reopens with the
structure each shape promises."""

from __future__ import annotations

import zipfile

import docx
import pytest

from tests.word_shapes import SHAPES, shipped_routines, sized


@pytest.fixture(scope="module")
def routines():
    return shipped_routines()


def styles_of(document) -> list[str]:
    return [p.style.name for p in document.paragraphs]


def generate(name, tmp_path, routines):
    path = tmp_path / f"{name}.docx"
    return SHAPES[name](path, routines), path


def test_heading_styles_have_real_headings_lists_bold_and_metadata(tmp_path, routines):
    generated, path = generate("heading-styles", tmp_path, routines)
    d = docx.Document(path)
    styles = styles_of(d)
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1 == generated.titles == [r.title for r in routines]
    assert styles.count("Heading 2") == sum(len(r.sections) for r in routines)
    assert {"List Bullet", "List Number", "List Bullet 2"} <= set(styles)
    texts = [p.text for p in d.paragraphs]
    assert any(t.startswith("Ansvarlig: ") for t in texts)
    assert any(t.startswith("Sist revidert ") and ":" not in t for t in texts)
    assert any(r.bold for p in d.paragraphs for r in p.runs if p.style.name == "Normal")
    assert not any("rutine:" in t or "**" in t for t in texts)


def test_no_heading_styles_uses_bold_sized_normal_paragraphs(tmp_path, routines):
    generated, path = generate("no-heading-styles", tmp_path, routines)
    d = docx.Document(path)
    assert not any(s.startswith("Heading") for s in styles_of(d))
    titles = [
        p for p in d.paragraphs if p.runs and p.runs[0].font.size and p.runs[0].font.size.pt == 16
    ]
    assert [p.text for p in titles] == generated.titles
    assert all(r.bold for p in titles for r in p.runs)


@pytest.mark.parametrize("name", ["numbered-headings", "numbered-no-styles"])
def test_numbered_headings_carry_outline_numbers(tmp_path, routines, name):
    _, path = generate(name, tmp_path, routines)
    texts = [p.text for p in docx.Document(path).paragraphs]
    third = routines[2]
    assert f"3 {third.title}" in texts
    assert f"3.2 {third.sections[1].heading}" in texts


def test_table_of_contents_lines(tmp_path, routines):
    _, path = generate("table-of-contents", tmp_path, routines)
    d = docx.Document(path)
    toc = [p for p in d.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert toc[0].style.name == "toc 1" and toc[0].text.startswith(routines[0].title + "\t")
    assert len(toc) == len(routines) + sum(len(r.sections) for r in routines)
    _, typed = generate("table-of-contents-typed", tmp_path, routines)
    texts = [p.text for p in docx.Document(typed).paragraphs]
    assert any(t.startswith(f"3.2 {routines[2].sections[1].heading} ....... ") for t in texts)


def test_chapters_put_routines_at_heading_2(tmp_path, routines):
    _, path = generate("chapters", tmp_path, routines)
    d = docx.Document(path)
    by_style: dict[str, list[str]] = {}
    for paragraph in d.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert set(by_style["Heading 1"]) == {r.theme for r in routines}
    assert sorted(by_style["Heading 2"]) == sorted(r.title for r in routines)


def test_table_routine_nynorsk_and_empty_sections(tmp_path, routines):
    generated, path = generate("tables-and-lists", tmp_path, routines)
    table = docx.Document(path).tables[-1]
    assert table.rows[0].cells[1].text == "Frist" and len(table.rows) == 6
    assert {title for _, title in generated.questions} == {generated.titles[-1]}
    generated, path = generate("nynorsk", tmp_path, routines)
    assert len(generated.titles) == len(routines) + 3 and len(generated.questions) == 6
    assert "Heimebesøk" in [p.text for p in docx.Document(path).paragraphs]
    _, path = generate("empty-section", tmp_path, routines)
    paragraphs = docx.Document(path).paragraphs
    empty = [i for i, p in enumerate(paragraphs) if p.text == "Skjemaer og maler"]
    assert empty and all(paragraphs[i + 1].style.name.startswith("Heading") for i in empty)


def test_revision_metadata_lines_and_core_properties(tmp_path, routines):
    generated, path = generate("revision-metadata", tmp_path, routines)
    d = docx.Document(path)
    texts = {p.text for p in d.paragraphs}
    lines = {entry.line for entries in generated.stated.values() for entry in entries}
    assert lines <= texts and "Eier: Fagleder" in lines
    assert d.core_properties.revision == 14 and d.core_properties.modified.year == 2025


def test_not_a_docx_files_do_not_open(tmp_path, routines):
    generated, _ = generate("not-a-docx", tmp_path, routines)
    text, archive = generated.files
    with pytest.raises(zipfile.BadZipFile):
        docx.Document(text)
    assert zipfile.is_zipfile(archive)
    with pytest.raises(KeyError):
        docx.Document(archive)


def test_sized_document_reaches_the_page_count(tmp_path, routines):
    generated = sized(tmp_path / "sized.docx", 20, routines)
    d = docx.Document(generated.files[0])
    words = sum(len(p.text.split()) for p in d.paragraphs)
    assert words >= 20 * 450
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"][1].startswith("2 ")
