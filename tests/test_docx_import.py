"""`python -m handbook import`: a Word handbook, built here with python-docx, becomes routines.

The round trip is the real one: import → check → the handbook search finds the imported routine.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zipfile
import zlib
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches
from msoffcrypto.format.ooxml import OOXMLFile

from handbook.__main__ import main
from handbook.check import check, errors
from handbook.docx_import import import_docx
from handbook.import_fields import field_line, parse_date
from handbook.loader import NOT_ASSURED, load_handbook
from handbook.service import Handbook

TODAY = date(2026, 11, 23)

MUNTLIG = """\
---
id: muntlige-soknader
title: Muntlige søknader
owner: Fagansvarlig sosiale tjenester
revised: 2025-03-12
review_by: 2026-03-12  # revidert + 1 år (rutiner gjennomgås minst årlig)
legal:
  - sosialtjenesteloven § 17
  - forvaltningsloven § 11 d
  - sosialtjenesteloven § 27
source: rutinehandbok.docx
---
En søknad kan komme muntlig, på telefon eller i skranken.

## Slik registrerer du en muntlig søknad
Skriv ned søknaden **samme dag** og registrer den i *Socio*, ***ikke*** bare som notat.

1. Opprett søknaden i Socio
   - hva brukeren søker om
   - hvem som bor i husstanden
     1. barn under 18 år
2. Skriv journalnotat
3. Bekreft overfor brukeren

### Frister

| Kanal | Frist |
| --- | --- |
| Telefon \\| skranke | Samme dag |
| Digisos | Se [Nav.no](https://www.nav.no/sosialhjelp) |

## Korleis vi gjer det på nynorsk
Søknaden skal registrerast same dag. Dette gjeld òg mellombels butilbod etter § 27.
"""


def png() -> io.BytesIO:
    """A 1×1 PNG, so the test needs no image file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return io.BytesIO(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def add_hyperlink(paragraph, text: str, url: str) -> None:
    r_id = paragraph.part.relate_to(
        url,
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.append(text_run(text))
    paragraph._p.append(link)


def tracked_insertion(paragraph, text: str) -> None:
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "1")
    insertion.set(qn("w:author"), "Kari")
    insertion.append(text_run(text))
    paragraph._p.append(insertion)


def text_run(text: str):
    """A bare ``<w:r><w:t>text</w:t></w:r>``."""
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = text
    run.append(text_el)
    return run


def handbook_docx(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("Rutinehåndbok for sosiale tjenester, Nav Eksempel.")
    d.add_paragraph("Håndboka gjennomgås hvert år av ledergruppa.")

    d.add_heading("Muntlige søknader", 1)
    d.add_paragraph("En søknad kan komme muntlig, på telefon eller i skranken.")
    d.add_paragraph("Ansvarlig: Fagansvarlig sosiale tjenester")
    d.add_paragraph("Revidert: 12.03.2025")
    d.add_paragraph("Lovgrunnlag: sosialtjenesteloven § 17 og fvl. § 11 d")
    d.add_heading("Slik registrerer du en muntlig søknad", 2)
    p = d.add_paragraph("Skriv ned søknaden ")
    p.add_run("samme dag").bold = True
    p.add_run(" og registrer den i ")
    p.add_run("Socio").italic = True
    p.add_run(", ")
    both = p.add_run("ikke")
    both.bold = both.italic = True
    p.add_run(" bare som notat.")
    d.add_paragraph("Opprett søknaden i Socio", style="List Number")
    d.add_paragraph("hva brukeren søker om", style="List Bullet 2")
    d.add_paragraph("hvem som bor i husstanden", style="List Bullet 2")
    d.add_paragraph("barn under 18 år", style="List Number 3")
    d.add_paragraph("Skriv journalnotat", style="List Number")
    d.add_paragraph("Bekreft overfor brukeren", style="List Number")
    d.add_heading("Frister", 3)
    table = d.add_table(rows=3, cols=2)
    for row, (a, b) in enumerate([("Kanal", "Frist"), ("Telefon | skranke", "Samme dag")]):
        table.cell(row, 0).text, table.cell(row, 1).text = a, b
    table.cell(2, 0).text = "Digisos"
    cell = table.cell(2, 1).paragraphs[0]
    cell.add_run("Se ")
    add_hyperlink(cell, "Nav.no", "https://www.nav.no/sosialhjelp")
    d.add_heading("Tom seksjon", 2)
    d.add_heading("Korleis vi gjer det på nynorsk", 2)
    d.add_paragraph(
        "Søknaden skal registrerast same dag. Dette gjeld òg mellombels butilbod etter § 27."
    )

    d.add_heading("Akutt hjelp", 1)
    d.add_heading("Samme dag", 2)
    d.add_paragraph("Den som ikke har mat eller et sted å sove i natt, skal få hjelp samme dag.")
    d.add_paragraph().add_run().add_picture(png(), width=Inches(0.5))
    commented = d.add_paragraph("Vurder alltid barnas behov.")
    d.add_comment(commented.runs, text="Skal vi lenke til kartleggingsrutinen?", author="Kari")
    tracked = d.add_paragraph("Ring vakttelefonen.")
    tracked_insertion(tracked, " Spør etter leder.")
    footnoted = d.add_paragraph("Nødhjelp etter § 18.")
    footnoted.add_run()._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))
    box = parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape>'
        "<v:textbox><w:txbxContent><w:p><w:r><w:t>Husk vakttelefonen!</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    d.add_paragraph()._p.append(box)

    d.add_heading("Økonomisk rådgivning", 1)
    d.add_paragraph("Tilbudet om økonomisk rådgivning gjelder alle.")
    d.add_heading("Økonomisk rådgivning", 1)
    d.add_heading("Vedtak", 2)
    d.add_paragraph("Det skal alltid fattes vedtak.")
    d.add_heading("Tom rutine", 1)
    d.save(path)
    return path


@pytest.fixture
def imported(tmp_path, capsys):
    source = handbook_docx(tmp_path / "rutinehandbok.docx")
    out = tmp_path / "handbok"
    # what the document gives, nothing borrowed (lending: tests/test_counterpart.py)
    assert main(["import", str(source), "--out", str(out), "--no-lend"]) == 0
    captured = capsys.readouterr()
    return out, captured.out.splitlines(), captured.err


def test_routines_sections_lists_tables_and_formatting_become_markdown(imported):
    out, _, err = imported
    assert sorted(p.name for p in out.iterdir()) == [
        "_forord.md",
        "akutt-hjelp.md",
        "muntlige-soknader.md",
        "okonomisk-radgivning-2.md",
        "okonomisk-radgivning.md",
        "synonymer.yaml",
    ]
    assert (out / "muntlige-soknader.md").read_text(encoding="utf-8") == MUNTLIG
    assert "4 rutine(r) skrevet" in err


def test_the_preface_is_kept_apart_and_what_cannot_be_mapped_is_reported_with_its_place(imported):
    out, notes, _ = imported
    assert (out / "_forord.md").read_text(encoding="utf-8") == (
        "Rutinehåndbok for sosiale tjenester, Nav Eksempel.\n\n"
        "Håndboka gjennomgås hvert år av ledergruppa.\n"
    )
    source = out.parent / "rutinehandbok.docx"
    assert [line.removeprefix(f"{source}: ") for line in notes] == [
        "«Akutt hjelp» › «Samme dag», avsnitt 2: bilde eller figur er ikke tatt med",
        "«Akutt hjelp» › «Samme dag», avsnitt 3: kommentar er ikke tatt med: "
        "«Skal vi lenke til kartleggingsrutinen?»",
        "«Akutt hjelp» › «Samme dag», avsnitt 4: sporet endring (innsatt tekst) er ikke tatt "
        "med: «Spør etter leder.»",
        "«Akutt hjelp» › «Samme dag», avsnitt 5: fotnote er ikke tatt med",
        "«Akutt hjelp» › «Samme dag», avsnitt 6: tekstboks er ikke tatt med: «Husk vakttelefonen!»",
        "forordet: teksten før første overskrift (2 avsnitt) er lagt i _forord.md; den er ikke "
        "en rutine og kommer ikke med i søket",
        "«Muntlige søknader» › «Tom seksjon»: seksjonen er tom og er ikke tatt med",
        "«Muntlige søknader»: hentet fra dokumentet: ansvarlig Fagansvarlig sosiale tjenester "
        "fra «Ansvarlig: Fagansvarlig sosiale tjenester», avsnitt 2; revidert 2025-03-12 fra "
        "«Revidert: 12.03.2025», avsnitt 3; neste gjennomgang 2026-03-12 fra revidert + 1 år; "
        "lovgrunnlag sosialtjenesteloven § 17, forvaltningsloven § 11 d, sosialtjenesteloven "
        "§ 27 fra «Lovgrunnlag: sosialtjenesteloven § 17 og fvl. § 11 d», avsnitt 4",
        "«Akutt hjelp»: hentet fra dokumentet: lovgrunnlag sosialtjenesteloven § 18 fra "
        "henvisninger i teksten",
        "«Økonomisk rådgivning»: rutinen har ingen underoverskrifter (Overskrift 2); teksten er "
        "lagt i én seksjon med rutinens tittel",
        "«Tom rutine»: rutinen er tom og er ikke tatt med",
        "«Akutt hjelp»: dokumentet sier ikke ansvarlig, revidert eller neste gjennomgang; "
        "står som TODO i akutt-hjelp.md (rutinen er likevel med i søket)",
        "«Økonomisk rådgivning»: dokumentet sier ikke ansvarlig, revidert, neste gjennomgang "
        "eller lovgrunnlag; står som TODO i okonomisk-radgivning.md (rutinen er likevel med i "
        "søket)",
        "«Økonomisk rådgivning»: dokumentet sier ikke ansvarlig, revidert, neste gjennomgang "
        "eller lovgrunnlag; står som TODO i okonomisk-radgivning-2.md (rutinen er likevel med "
        "i søket)",
    ]


def test_legal_references_found_in_the_text_fill_the_front_matter(imported):
    out, _, _ = imported
    text = (out / "akutt-hjelp.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\nid: akutt-hjelp\ntitle: Akutt hjelp\nowner: TODO\nrevised: TODO\n"
        "review_by: TODO\nlegal:\n  - sosialtjenesteloven § 18\nsource: rutinehandbok.docx\n"
        "---\n## Samme dag\n"
    )


def test_check_names_the_todos_as_warnings_and_the_overdue_review(imported):
    out, _, _ = imported
    problems = check(out, today=TODAY)
    lines = [
        str(p).removeprefix(f"{out}/").replace(f"; {NOT_ASSURED.removeprefix('; ')}", "")
        for p in problems
    ]
    assert lines == [
        "akutt-hjelp.md:4: advarsel: «owner» er ikke fylt ut ennå (TODO)",
        "akutt-hjelp.md:5: advarsel: «revised» er ikke fylt ut ennå (TODO)",
        "akutt-hjelp.md:6: advarsel: «review_by» er ikke fylt ut ennå (TODO)",
        "muntlige-soknader.md:6: advarsel: rutinen skulle vært gjennomgått innen 2026-03-12",
        "okonomisk-radgivning-2.md:4: advarsel: «owner» er ikke fylt ut ennå (TODO)",
        "okonomisk-radgivning-2.md:5: advarsel: «revised» er ikke fylt ut ennå (TODO)",
        "okonomisk-radgivning-2.md:6: advarsel: «review_by» er ikke fylt ut ennå (TODO)",
        "okonomisk-radgivning-2.md:7: advarsel: «legal» er ikke fylt ut ennå (TODO)",
        "okonomisk-radgivning.md:4: advarsel: «owner» er ikke fylt ut ennå (TODO)",
        "okonomisk-radgivning.md:5: advarsel: «revised» er ikke fylt ut ennå (TODO)",
        "okonomisk-radgivning.md:6: advarsel: «review_by» er ikke fylt ut ennå (TODO)",
        "okonomisk-radgivning.md:7: advarsel: «legal» er ikke fylt ut ennå (TODO)",
    ]
    assert errors(problems) == []  # a TODO is work to do, not a broken handbook
    assert main(["check", str(out), "--today", "2026-11-23"]) == 0
    assert main(["check", str(out), "--today", "2026-11-23", "--strict"]) == 1


def test_imported_routines_answer_at_once_marked_as_not_quality_assured(imported):
    out, _, _ = imported
    handbook = Handbook.open(out)
    assert {r.id for r in handbook.routines} == {
        "muntlige-soknader", "akutt-hjelp", "okonomisk-radgivning", "okonomisk-radgivning-2",
    }  # fmt: skip
    best = handbook.search("brukeren har ikke mat i dag").hits[0]
    assert best.routine_id == "akutt-hjelp"
    assert best.revised is None
    assert best.not_assured == "Ikke kvalitetssikret ennå – eier og revisjonsdato mangler"
    assert handbook.search("bruker ringte og søkte muntlig").hits[0].not_assured == ""


def test_filled_in_todos_pass_check_and_search_finds_the_imported_routines(imported):
    out, _, _ = imported
    for path in out.glob("okonomisk-*.md"):
        path.unlink()
    akutt = out / "akutt-hjelp.md"
    akutt.write_text(
        akutt.read_text(encoding="utf-8")
        .replace("owner: TODO", "owner: Nav-leder")
        .replace("revised: TODO", "revised: 2026-10-01")
        .replace("review_by: TODO", "review_by: 2027-10-01"),
        encoding="utf-8",
    )
    assert errors(check(out, today=TODAY)) == []
    assert main(["check", str(out), "--today", "2026-11-23"]) == 0
    assert main(["check", str(out), "--today", "2026-11-23", "--strict"]) == 1

    handbook = Handbook.open(out)
    assert {r.id for r in handbook.routines} == {"muntlige-soknader", "akutt-hjelp"}
    hits = handbook.search("bruker ringte og søkte muntlig").hits
    assert hits[0].routine_id == "muntlige-soknader"
    assert hits[0].revised == date(2025, 3, 12)
    assert [ref.text for ref in hits[0].legal][:1] == ["sosialtjenesteloven § 17"]
    nynorsk = handbook.search("korleis registrere søknaden same dag").hits
    assert nynorsk[0].routine_id == "muntlige-soknader"
    assert handbook.search("ingen mat og ikke noe sted å sove").hits[0].routine_id == (
        "akutt-hjelp"
    )


def test_ids_fold_norwegian_letters_and_stay_unique(tmp_path):
    d = docx.Document()
    for title in ("Ærlig tilbakemelding på søknad", "Ærlig tilbakemelding på søknad", "§ 17!"):
        d.add_heading(title, 1)
        d.add_heading("Del", 2)
        d.add_paragraph("Tekst.")
    d.save(tmp_path / "h.docx")
    result = import_docx(tmp_path / "h.docx")
    assert sorted(result.files) == [
        "17.md",
        "aerlig-tilbakemelding-pa-soknad-2.md",
        "aerlig-tilbakemelding-pa-soknad.md",
    ]
    assert "title: § 17!\n" in result.files["17.md"]


def test_direct_numbering_and_a_heading_in_a_paragraph_that_looks_like_markdown(tmp_path):
    d = docx.Document()
    d.add_heading("1.2 Klage", 1)
    d.add_heading("2.1 Slik gjør du", 2)
    d.add_paragraph("# ikke en overskrift * og ikke kursiv")
    bullet_num_id = d.styles["List Bullet"].element.pPr.numPr.numId.val
    for text, level in (("først", 0), ("så", 1)):
        paragraph = d.add_paragraph(text)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = bullet_num_id
        num_pr.get_or_add_ilvl().val = level
    d.save(tmp_path / "h.docx")
    text = import_docx(tmp_path / "h.docx").files["klage.md"]
    assert "## Slik gjør du\n\\# ikke en overskrift \\* og ikke kursiv\n\n- først\n  - så\n" in text


def test_fields_in_the_text():
    assert field_line("Ansvarleg: Avdelingsleiar") == ("owner", "Avdelingsleiar")
    assert field_line("**Sist revidert:** 1.2.2024") == ("revised", "1.2.2024")
    assert field_line("Neste gjennomgang: 2027-01-31") == ("review_by", "2027-01-31")
    assert field_line("Hjemmel: stl. § 18.") == ("legal", "stl. § 18")
    assert field_line("Ansvaret ligger hos leder") is None
    assert field_line("Ansvarlig: " + "x" * 300) is None
    assert parse_date("12.03.2025") == date(2025, 3, 12)
    assert parse_date("1/2/25") == date(2025, 2, 1)
    assert parse_date("3. desember 2024") == date(2024, 12, 3)
    assert parse_date("2025-02-30") is None
    assert parse_date("i fjor") is None


def test_a_date_it_cannot_read_stays_in_the_text_and_is_reported(tmp_path):
    d = docx.Document()
    d.add_heading("Klage", 1)
    d.add_paragraph("Revidert: våren 2024")
    d.add_heading("Del", 2)
    d.add_paragraph("Tekst.")
    d.save(tmp_path / "h.docx")
    result = import_docx(tmp_path / "h.docx")
    assert (
        "«Klage», avsnitt 1: forstår ikke datoen «våren 2024» (revidert); står igjen i teksten"
        in (result.notes)
    )
    assert "revised: TODO" in result.files["klage.md"]
    assert "Revidert: våren 2024" in result.files["klage.md"]


# --- files that cannot be imported, and the output directory ---


def run_import(source: Path, out: Path, *extra: str) -> int:
    return main(["import", str(source), "--out", str(out), "--no-lend", *extra])


def no_leftovers(parent: Path) -> bool:
    return not [p for p in parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    "content",
    [b"", b"dette er ikke et Word-dokument", b"PK\x03\x04" + b"\x00" * 100],
    ids=["empty", "text", "broken-zip"],
)
def test_a_corrupt_file_gives_a_clear_error_and_writes_nothing(tmp_path, capsys, content):
    source = tmp_path / "skadet.docx"
    source.write_bytes(content)
    assert run_import(source, tmp_path / "ut") == 1
    err = capsys.readouterr().err
    assert err.startswith("Kan ikke importere: ")
    assert "ikke et gyldig Word-dokument (.docx)" in err
    assert not (tmp_path / "ut").exists()
    assert no_leftovers(tmp_path)


def test_a_truncated_docx_is_refused(tmp_path, capsys):
    whole = handbook_docx(tmp_path / "hel.docx").read_bytes()
    source = tmp_path / "halv.docx"
    source.write_bytes(whole[: len(whole) // 2])
    assert run_import(source, tmp_path / "ut") == 1
    assert "skadet" in capsys.readouterr().err
    assert not (tmp_path / "ut").exists()


def test_an_encrypted_file_is_refused_with_what_to_do(tmp_path, capsys):
    plain = handbook_docx(tmp_path / "apen.docx")
    source = tmp_path / "passord.docx"
    with plain.open("rb") as reader, source.open("wb") as writer:
        OOXMLFile(reader).encrypt("hemmelig", writer)
    assert run_import(source, tmp_path / "ut") == 1
    err = capsys.readouterr().err
    assert "passordbeskyttet" in err and "fjern passordet" in err
    assert not (tmp_path / "ut").exists()
    assert no_leftovers(tmp_path)


def test_an_old_doc_file_is_refused(tmp_path, capsys):
    source = tmp_path / "gammel.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    assert run_import(source, tmp_path / "ut") == 1
    assert "gamle Word-formatet (.doc)" in capsys.readouterr().err


def test_a_missing_file_and_a_document_without_headings(tmp_path, capsys):
    assert run_import(tmp_path / "finnes-ikke.docx", tmp_path / "ut") == 1
    assert "finner ikke filen" in capsys.readouterr().err
    d = docx.Document()
    d.add_paragraph("Bare tekst, ingen overskrifter.")
    d.save(tmp_path / "flat.docx")
    assert run_import(tmp_path / "flat.docx", tmp_path / "ut") == 1
    assert "fant ingen overskrift med stilen «Overskrift 1»" in capsys.readouterr().err
    assert not (tmp_path / "ut").exists()


def test_an_existing_directory_is_replaced_only_with_force(tmp_path, capsys):
    source = handbook_docx(tmp_path / "h.docx")
    out = tmp_path / "ut"
    out.mkdir()
    assert run_import(source, out) == 0  # empty: fine
    (out / "egen-rutine.md").write_text("min egen", encoding="utf-8")
    capsys.readouterr()
    assert run_import(source, out) == 1
    assert "bruk --update for å oppdatere" in capsys.readouterr().err
    assert (out / "egen-rutine.md").read_text(encoding="utf-8") == "min egen"
    assert run_import(source, out, "--force") == 0
    assert not (out / "egen-rutine.md").exists()
    assert (out / "muntlige-soknader.md").read_text(encoding="utf-8") == MUNTLIG.replace(
        "source: rutinehandbok.docx", "source: h.docx"
    )
    assert no_leftovers(tmp_path)
    (tmp_path / "fil").write_text("x")
    assert run_import(source, tmp_path / "fil", "--force") == 1
    assert "er ikke en mappe" in capsys.readouterr().err


def test_the_source_inside_the_output_directory_is_never_replaced(tmp_path, capsys):
    out = tmp_path / "ut"
    out.mkdir()
    source = handbook_docx(out / "h.docx")
    assert run_import(source, out, "--force") == 1
    assert "velg en annen mappe" in capsys.readouterr().err
    assert source.exists()


def test_a_failure_while_writing_leaves_the_old_directory_and_no_half_result(
    tmp_path, capsys, monkeypatch
):
    source = handbook_docx(tmp_path / "h.docx")
    out = tmp_path / "ut"
    out.mkdir()
    (out / "gammel.md").write_text("gammel", encoding="utf-8")
    written = []
    real = Path.write_text

    def failing(self, *args, **kwargs):
        if written:
            raise OSError(28, "No space left on device", str(self))
        written.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    assert run_import(source, out, "--force") == 1
    assert "No space left on device" in capsys.readouterr().err
    monkeypatch.undo()
    assert [p.name for p in out.iterdir()] == ["gammel.md"]
    assert no_leftovers(tmp_path)


def test_import_then_load_keeps_every_section_of_the_complete_routine(imported):
    out, _, _ = imported
    parsed = {p.routine.id: p.routine for p in load_handbook(out, TODAY).routines}
    routine = parsed["muntlige-soknader"]
    assert routine.summary == "En søknad kan komme muntlig, på telefon eller i skranken."
    assert [s.heading for s in routine.sections] == [
        "Slik registrerer du en muntlig søknad",
        "Korleis vi gjer det på nynorsk",
    ]
    assert routine.owner == "Fagansvarlig sosiale tjenester"


def test_a_table_of_contents_is_left_out_once(tmp_path):
    d = docx.Document()
    d.add_paragraph("Innhold", style="TOC Heading")
    d.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    for line in ("Klage\t3", "Akutt hjelp\t4"):
        d.add_paragraph(line, style="TOC 1")
    d.add_paragraph("Velkommen.")
    toc = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr><w:docPartObj>"
        '<w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
        "<w:sdtContent><w:p><w:r><w:t>Klage 3</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    d.paragraphs[-1]._p.addnext(toc)
    d.add_heading("Klage", 1)
    d.add_heading("Frist", 2)
    d.add_paragraph("Klagefristen er tre uker.")
    d.save(tmp_path / "h.docx")
    result = import_docx(tmp_path / "h.docx")
    assert result.notes[:2] == [
        "forordet, avsnitt 1: innholdsfortegnelse (den lages ikke på nytt) er ikke tatt med",
        "forordet, avsnitt 3: innholdsfortegnelse (den lages ikke på nytt) er ikke tatt med",
    ]
    assert result.files["_forord.md"] == "Velkommen.\n"


def test_a_macro_document_is_refused_with_what_to_do(tmp_path, capsys):
    plain = handbook_docx(tmp_path / "h.docx")
    source = tmp_path / "makro.docm"
    with zipfile.ZipFile(plain) as reader, zipfile.ZipFile(source, "w") as writer:
        for item in reader.infolist():
            data = reader.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
                )
            writer.writestr(item, data)
    assert run_import(source, tmp_path / "ut") == 1
    assert "ikke et vanlig Word-dokument (.docx)" in capsys.readouterr().err


def test_the_command_line_as_a_user_runs_it(tmp_path):
    source = handbook_docx(tmp_path / "rutinehandbok.docx")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "handbook", *args], capture_output=True, text=True, timeout=60
        )

    done = run("import", str(source), "--out", str(tmp_path / "ut"))
    assert done.returncode == 0, done.stderr
    assert f"{source}: «Akutt hjelp» › «Samme dag», avsnitt 2: bilde" in done.stdout
    assert "Alle rutinene er med i søket med en gang" in done.stderr
    assert "Se hva som mangler: python -m handbook check" in done.stderr
    assert run("import", str(source), "--out", str(tmp_path / "ut")).returncode == 1
    assert run("import", str(source)).returncode == 2  # --out is required
    checked = run("check", str(tmp_path / "ut"), "--today", "2026-11-23")
    assert checked.returncode == 0, checked.stdout  # TODOs are warnings
    assert "advarsel: «owner» er ikke fylt ut ennå (TODO)" in checked.stdout


def test_a_table_of_fields_fills_the_front_matter(tmp_path):
    d = docx.Document()
    d.add_heading("Klage", 1)
    fields = d.add_table(rows=4, cols=2)
    rows = [
        ("Ansvarleg", "Avdelingsleiar"),
        ("Sist revidert", "1. februar 2026"),
        ("Neste gjennomgang", "01.02.2027"),
        ("Heimel", "forvaltningslova § 28"),
    ]
    for row, (label, value) in zip(fields.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    d.add_heading("Frist", 2)
    ordinary = d.add_table(rows=2, cols=2)
    ordinary.cell(0, 0).text, ordinary.cell(0, 1).text = "Ansvarlig", "Oppgave"
    ordinary.cell(1, 0).text, ordinary.cell(1, 1).text = "Veileder", "Registrere klagen"
    d.save(tmp_path / "h.docx")
    result = import_docx(tmp_path / "h.docx")
    assert [note.split(":")[1] for note in result.notes] == [" hentet fra dokumentet"]
    assert result.todo == {}
    assert result.files["klage.md"] == (
        "---\nid: klage\ntitle: Klage\nowner: Avdelingsleiar\nrevised: 2026-02-01\n"
        "review_by: 2027-02-01\nlegal:\n  - forvaltningsloven § 28\nsource: h.docx\n---\n## Frist\n"
        "| Ansvarlig | Oppgave |\n| --- | --- |\n| Veileder | Registrere klagen |\n"
    )
