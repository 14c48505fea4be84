"""Issue 13: what a Word handbook says of itself fills the front matter, and a re-import of a
changed document (``--update``) keeps what a maintainer has filled in since.

Every document is built here with python-docx; the import runs as the command line runs it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest

from handbook.__main__ import main
from handbook.docx_import import import_docx
from handbook.import_fields import field_line, parse_date
from handbook.loader import SYNONYM_FILE, load_handbook
from handbook.service import SHIPPED_HANDBOOK, Handbook

TODAY = date(2026, 12, 4)


def test_more_ways_offices_write_dates_and_owners():
    assert field_line("Sist revidert 12.03.2025") == ("revised", "12.03.2025")
    assert field_line("Revidert: mars 2025") == ("revised", "mars 2025")
    assert field_line("Oppdatert – 1.2.2024") == ("revised", "1.2.2024")
    assert field_line("Eier: Fagleder") == ("owner", "Fagleder")
    assert field_line("Rutineeier: Fagansvarlig sosiale tjenester") == (
        "owner",
        "Fagansvarlig sosiale tjenester",
    )
    assert field_line("Revidert etter tilsynet") is None  # prose: no date follows
    assert field_line("Eier av bilen må betale") is None
    assert parse_date("mars 2025") == date(2025, 3, 1)
    assert parse_date("03.2025") == date(2025, 3, 1)
    assert parse_date("Desember 2024") == date(2024, 12, 1)
    assert parse_date("13.2025") is None


def metadata_docx(path: Path, saved: datetime | None = None) -> Path:
    d = docx.Document()
    d.add_paragraph("Rutinehåndbok for sosiale tjenester")
    d.add_paragraph("Sist revidert 12.03.2025")  # for every routine that states none
    d.add_heading("Klage på vedtak", 1)
    d.add_paragraph("Eier: Fagleder")
    d.add_paragraph("Revidert: mars 2026")
    d.add_heading("Frister", 2)
    d.add_paragraph("Klagefristen er tre uker, jf. fvl. § 29. Vi vurderer saken på nytt.")
    d.add_heading("Økonomisk stønad", 1)
    d.add_paragraph("Rutineeier: Fagansvarlig sosiale tjenester")
    d.add_heading("Utredning", 2)
    d.add_paragraph(
        "Saken skal være så godt opplyst som mulig (fvl. § 17) før vedtak etter stl. § 18."
    )
    d.add_heading("Tolk", 1)
    d.add_heading("Bestilling", 2)
    d.add_paragraph("Bestill tolk to dager før samtalen.")
    if saved:
        d.core_properties.created = datetime(2020, 1, 1, tzinfo=UTC)
        d.core_properties.modified = saved
    d.save(path)
    return path


def test_the_import_takes_owner_dates_and_legal_basis_from_the_document(tmp_path):
    result = import_docx(metadata_docx(tmp_path / "h.docx"))
    klage = result.files["klage-pa-vedtak.md"]
    assert "owner: Fagleder\nrevised: 2026-03-01\nreview_by: 2027-03-01  # revidert + 1 år" in klage
    assert "  - forvaltningsloven § 29" in klage
    stonad = result.files["okonomisk-stonad.md"]
    # The preface's «Sist revidert» is every routine's that states none.
    assert "owner: Fagansvarlig sosiale tjenester\nrevised: 2025-03-12\n" in stonad
    assert "  - forvaltningsloven § 17\n  - sosialtjenesteloven § 18\n" in stonad
    assert "source: h.docx" in stonad
    assert "Sist revidert" not in result.files.get("_forord.md", "")
    assert result.filled == {"owner": 2, "revised": 3, "review_by": 3, "legal": 2}
    assert result.summary() == (
        "ansvarlig 2 av 3, revidert 3 av 3, neste gjennomgang 3 av 3, lovgrunnlag 2 av 3"
    )
    # The notes say what came from where.
    assert (
        "«Klage på vedtak»: hentet fra dokumentet: ansvarlig Fagleder fra «Eier: Fagleder», "
        "avsnitt 1; revidert 2026-03-01 fra «Revidert: mars 2026», avsnitt 2; neste gjennomgang "
        "2027-03-01 fra revidert + 1 år; lovgrunnlag forvaltningsloven § 29 fra henvisninger i "
        "teksten"
    ) in result.notes
    assert any(
        n.startswith("«Tolk»: hentet fra dokumentet: revidert 2025-03-12 fra «Sist revidert "
                     "12.03.2025», forordet, avsnitt 2")
        for n in result.notes
    )  # fmt: skip
    assert result.todo == {"tolk.md": ("Tolk", ["owner", "legal"])}


def test_the_document_properties_give_the_revision_date_when_the_text_gives_none(tmp_path):
    path = tmp_path / "h.docx"
    d = docx.Document()
    d.add_heading("Tolk", 1)
    d.add_heading("Bestilling", 2)
    d.add_paragraph("Bestill tolk to dager før samtalen.")
    d.save(path)
    # python-docx's template was created and last saved at the same moment: not a revision.
    assert "revised: TODO" in import_docx(path).files["tolk.md"]
    saved = datetime(2026, 5, 2, 9, 30, tzinfo=UTC)
    result = import_docx(metadata_docx(path, saved=saved))
    assert "revised: 2026-03-01" in result.files["klage-pa-vedtak.md"]  # its own line wins
    assert "revised: 2025-03-12" in result.files["tolk.md"]  # the preface's line wins
    d.core_properties.created = datetime(2020, 1, 1, tzinfo=UTC)
    d.core_properties.modified = saved
    d.save(path)
    result = import_docx(path)
    assert "revised: 2026-05-02\nreview_by: 2027-05-02" in result.files["tolk.md"]
    assert "revidert 2026-05-02 fra dokumentegenskapene (sist lagret)" in result.notes[0]


def run(*args: str) -> int:
    return main(["import", *map(str, args)])


@pytest.fixture
def first_import(tmp_path, capsys) -> tuple[Path, Path]:
    source = metadata_docx(tmp_path / "rutinehandbok.docx")
    out = tmp_path / "handbok"
    assert run(source, "--out", out) == 0
    capsys.readouterr()
    return source, out


def test_the_import_brings_the_fields_synonyms_so_jargon_works_at_once(first_import):
    _, out = first_import
    shipped = (SHIPPED_HANDBOOK / SYNONYM_FILE).read_text(encoding="utf-8")
    assert (out / SYNONYM_FILE).read_text(encoding="utf-8") == shipped
    handbook = Handbook.open(out, index_dir=None)
    try:
        # "sosialhjelp" is nowhere in the document; the synonym file knows it is «økonomisk stønad».
        assert handbook.search("søknad om sosialhjelp").hits[0].routine_id == "okonomisk-stonad"
    finally:
        handbook.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_reimport_keeps_what_the_maintainer_filled_in(first_import, capsys, tmp_path):
    source, out = first_import
    # The maintainer fills in what the document did not say, and adds words of their own.
    tolk = out / "tolk.md"
    edit(tolk, "owner: TODO", "owner: Fagleder tolk")
    edit(tolk, "legal: TODO", "legal:\n  - forvaltningsloven § 17\nsynonyms: [tolketjeneste]")
    edit(
        tolk,
        "review_by: 2026-03-12  # revidert + 1 år (rutiner gjennomgås minst årlig)",
        "review_by: 2026-12-31",
    )
    klage = out / "klage-pa-vedtak.md"
    edit(
        klage,
        "  - forvaltningsloven § 29",
        "  - forvaltningsloven § 29\n  - forvaltningsloven § 28",
    )
    edit(klage, "source:", "theme: Vedtak\ntags: [klage, klagefrist]\nsource:")
    (out / "egen-rutine.md").write_text(
        (out / "tolk.md").read_text(encoding="utf-8").replace("id: tolk", "id: egen-rutine")
        .replace("source: rutinehandbok.docx\n", ""),
        encoding="utf-8",
    )  # fmt: skip
    (out / SYNONYM_FILE).write_text("- [tolk, språkhjelp]\n", encoding="utf-8")

    # The office changes its Word file: a new text, a new owner, one routine gone, one new.
    d = docx.Document()
    d.add_paragraph("Sist revidert 12.03.2025")
    d.add_heading("Klage på vedtak", 1)
    d.add_paragraph("Eier: Avdelingsleder")
    d.add_paragraph("Revidert: mars 2026")
    d.add_heading("Frister", 2)
    d.add_paragraph("Klagefristen er tre uker, jf. fvl. § 29. Send klagen videre innen en måned.")
    d.add_heading("Tolk", 1)
    d.add_heading("Bestilling", 2)
    d.add_paragraph("Bestill tolk tre dager før samtalen.")
    d.add_heading("Hjemmebesøk", 1)
    d.add_heading("Før besøket", 2)
    d.add_paragraph("Avtal hjemmebesøket med brukeren på forhånd.")
    d.save(source)

    assert run(source, "--out", out) == 1  # never replaced by accident
    assert "--update" in capsys.readouterr().err
    assert run(source, "--out", out, "--update") == 0
    printed = capsys.readouterr()

    text = tolk.read_text(encoding="utf-8")
    assert "Bestill tolk tre dager før samtalen." in text  # the document's new text
    assert "owner: Fagleder tolk\n" in text  # filled in by hand, the document still silent
    assert "review_by: 2026-12-31\n" in text  # the maintainer's, same revision date
    assert "  - forvaltningsloven § 17\n" in text and "  - tolketjeneste\n" in text
    text = klage.read_text(encoding="utf-8")
    assert "owner: Avdelingsleder\n" in text  # the document now says, and it wins
    assert "  - forvaltningsloven § 29\n  - forvaltningsloven § 28\n" in text
    assert "theme: Vedtak\n" in text and "  - klagefrist\n" in text
    assert "Send klagen videre innen en måned." in text
    assert not (out / "okonomisk-stonad.md").exists()  # gone from the document
    assert (out / "hjemmebesok.md").exists()
    assert (out / "egen-rutine.md").exists()  # not the import's: never touched
    assert (out / SYNONYM_FILE).read_text(encoding="utf-8") == "- [tolk, språkhjelp]\n"
    assert (
        "«Klage på vedtak»: ansvarlig var «Fagleder» i fila, er nå «Avdelingsleder» fra dokumentet"
        in printed.out
    )
    assert (
        "«Økonomisk stønad» (okonomisk-stonad.md) finnes ikke lenger i dokumentet og er fjernet"
        in printed.out
    )
    assert "«Hjemmebesøk»: ny rutine, skrevet til hjemmebesok.md" in printed.out
    assert "«Tolk»: beholdt fra fila: ansvarlig Fagleder tolk" in printed.out
    assert "«Tolk»: dokumentet sier ikke" not in printed.out
    assert "3 rutine(r) oppdatert" in printed.err

    loaded = load_handbook(out, TODAY)
    served = {p.routine.id: p.routine for p in loaded.routines}
    assert set(served) == {"klage-pa-vedtak", "tolk", "hjemmebesok", "egen-rutine"}
    assert served["tolk"].missing == ()
    assert not [p for p in loaded.problems if not p.warning]


def test_update_needs_an_earlier_import(tmp_path, capsys):
    source = metadata_docx(tmp_path / "h.docx")
    assert run(source, "--out", tmp_path / "finnes-ikke", "--update") == 1
    assert "første gang importerer du uten --update" in capsys.readouterr().err
    assert not (tmp_path / "finnes-ikke").exists()


def test_stikkord_lines_become_tags_and_a_reimport_keeps_the_maintainers_too(tmp_path, capsys):
    def document(words: str) -> Path:
        d = docx.Document()
        d.add_heading("Akutt hjelp", 1)
        d.add_paragraph(f"Stikkord: {words}")
        d.add_heading("Samme dag", 2)
        d.add_paragraph("Den som ikke har mat i dag, får hjelp samme dag.")
        d.save(tmp_path / "h.docx")
        return tmp_path / "h.docx"

    source, out = document("nødhjelp; rekvisisjon, tom for mat."), tmp_path / "handbok"
    assert run(source, "--out", out, "--no-lend") == 0  # the document's tags alone
    text = (out / "akutt-hjelp.md").read_text(encoding="utf-8")
    assert "tags:\n  - nødhjelp\n  - rekvisisjon\n  - tom for mat\n" in text
    assert "Stikkord" not in text.split("---")[2]  # moved out of the routine's text
    assert "stikkord nødhjelp, rekvisisjon, tom for mat fra «Stikkord:" in capsys.readouterr().out
    edit(out / "akutt-hjelp.md", "  - tom for mat\n", "  - tom for mat\n  - matkort\n")
    assert run(document("nødhjelp, krisehjelp"), "--out", out, "--update", "--no-lend") == 0
    [routine] = [p.routine for p in load_handbook(out, TODAY).routines]
    assert routine.tags == ("nødhjelp", "krisehjelp", "rekvisisjon", "tom for mat", "matkort")
