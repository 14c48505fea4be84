"""Lending an imported routine what the shipped routine on the same topic knows (handbook.counterpart)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from handbook.counterpart import lend, profile, shares_a_title_word
from handbook.loader import parse_routine, split_front_matter
from handbook.model import Routine
from handbook.service import SHIPPED_HANDBOOK, Handbook
from tests.other_office import TOPIC_OF, write_docx


def routine_file(id_: str, title: str, headings: list[str], extra: str = "") -> str:
    sections = "\n".join(f"## {heading}\nTekst om {heading.lower()}.\n" for heading in headings)
    return (
        f"---\nid: {id_}\ntitle: {title}\nowner: TODO\nrevised: TODO\nreview_by: TODO\n"
        f"legal: TODO\n{extra}---\n{sections}"
    )


HEADINGS = ["Klagefrist", "Ny vurdering hos oss", "Oversending til Statsforvalteren"]


def parse(text: str) -> Routine:
    return parse_routine(Path("r.md"), text)[0].routine


def front(text: str) -> dict:
    return yaml.safe_load("\n".join(split_front_matter(text)[0]))


@pytest.fixture(scope="module")
def reference():
    handbook = Handbook.open(SHIPPED_HANDBOOK, index_dir=None)
    yield handbook
    handbook.close()


def test_a_routine_borrows_from_its_counterpart_marked_and_nothing_else_changes(reference):
    klage = routine_file(
        "nar-brukeren-klager",
        "Når brukeren klager på et vedtak",
        ["Klagefristen", "Ny vurdering hos oss", "Oversending til Statsforvalteren"],
        extra="tags:\n  - klage\n",
    )
    parking = routine_file("parkering", "Parkering for ansatte", ["Plasser", "Elbillading"])
    files = {
        "nar-brukeren-klager.md": klage,
        "parkering.md": parking,
        "synonymer.yaml": "- [a, b]\n",
    }
    changed, lent = lend(files, reference)
    shipped = reference.routine("klage")
    data = front(changed["nar-brukeren-klager.md"])
    assert data["sporsmal"] == list(shipped.questions)
    assert data["synonyms"] == list(shipped.synonyms)
    assert data["tags"] == ["klage", *(t for t in shipped.tags if t.lower() != "klage")]
    assert (
        "sporsmal:  # lånt fra Rutinebots rutine «Klage på vedtak»"
        in changed["nar-brukeren-klager.md"]
    )
    # the body, and every file without a clear counterpart, as the import wrote it
    assert changed["nar-brukeren-klager.md"].split("\n---\n", 1)[1] == klage.split("\n---\n", 1)[1]
    assert (
        changed["parkering.md"] == parking and changed["synonymer.yaml"] == files["synonymer.yaml"]
    )
    assert [(item.file, item.source.id) for item in lent] == [("nar-brukeren-klager.md", "klage")]
    assert "«Når brukeren klager på et vedtak»:" in lent[0].note()
    assert "eksempelspørsmål (sporsmal)" in lent[0].note()


def test_a_counterpart_lends_to_one_routine_only_the_closest(reference):
    files = {
        "klage.md": routine_file("klage", "Klage på vedtak", HEADINGS),
        "frister.md": routine_file("frister", "Frister for klage", ["Klagefrist", "Oversending"]),
    }
    confidence = {
        name: reference.search(profile(parse(text))).confidence for name, text in files.items()
    }
    closest = max(files, key=confidence.get)
    _, lent = lend(files, reference)
    assert [(item.file, item.source.id) for item in lent] == [(closest, "klage")]


def test_a_routine_with_example_questions_of_its_own_keeps_them_first(reference):
    own = routine_file(
        "klage",
        "Klage på vedtak",
        HEADINGS,
        extra='sporsmal:\n  - "kan vi klage på e-post"\n',
    )
    changed, _ = lend({"klage.md": own}, reference)
    questions = front(changed["klage.md"])["sporsmal"]
    assert questions[0] == "kan vi klage på e-post" and len(questions) > 1


def test_a_confident_match_whose_name_shares_no_word_borrows_nothing(reference):
    routine = reference.routine("klage")
    assert profile(routine).startswith(f"{routine.title} {routine.sections[0].heading}")
    # «Tolk» finds the one shipped routine that mentions interpreters, confidently, but that
    # routine is about something else
    tolk = routine_file("tolk", "Bruk av tolk", ["Når vi bestiller tolk", "Slik bestiller du tolk"])
    found = reference.search(profile(parse(tolk)))
    assert found.hits[0].routine_id == "kartleggingssamtale" and found.confidence >= 0.95
    assert lend({"tolk.md": tolk}, reference) == ({"tolk.md": tolk}, [])
    # a first part of a compound is a shared word, an ending is not («ring» ends «parkering»)
    kontakt = parse(routine_file("k", "Slik kommer brukerne i kontakt med oss", ["Telefon"]))
    parkering = parse(routine_file("p", "Parkering for ansatte", ["Plasser"]))
    assert shares_a_title_word(kontakt, reference.routine("tilgjengelighet"))  # kontaktsenter
    assert not shares_a_title_word(parkering, reference.routine("tilgjengelighet"))  # ringe


def test_import_of_another_office_s_handbook_lends_each_routine_its_own_topic(tmp_path):
    """The independently written handbook: every routine finds the shipped routine on its
    topic, and --no-lend leaves them as the document says."""
    source = tmp_path / "fjordby.docx"
    write_docx(source)
    for flags in ((), ("--no-lend",)):
        out = tmp_path / f"out{len(flags)}"
        done = subprocess.run(
            [sys.executable, "-m", "handbook", "import", str(source), "--out", str(out), *flags],
            capture_output=True,
            text=True,
            check=True,
        )
        lent = {}
        for path in out.glob("*.md"):
            if path.name.startswith("_"):
                continue
            text = path.read_text(encoding="utf-8")
            marker = "lånt fra Rutinebots rutine «"
            if marker in text:
                lent[front(text)["title"]] = text.split(marker, 1)[1].split("»", 1)[0]
        if flags:
            assert lent == {} and "lånt fra" not in done.stdout
            continue
        titles = {r.id: r.title for r in Handbook.open(SHIPPED_HANDBOOK, index_dir=None).routines}
        assert lent == {title: titles[topic] for title, topic in TOPIC_OF.items()}
        assert done.stdout.count("lånt fra Rutinebots rutine") == len(TOPIC_OF)
        check = subprocess.run(
            [sys.executable, "-m", "handbook", "check", str(out)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr


def test_re_import_lends_to_new_routines_only_and_keeps_the_maintainer_s_edits(tmp_path):
    source, out = tmp_path / "fjordby.docx", tmp_path / "out"
    write_docx(source)

    def run(*flags: str) -> None:
        command = [sys.executable, "-m", "handbook", "import", str(source), "--out", str(out)]
        subprocess.run([*command, *flags], capture_output=True, text=True, check=True)

    run()
    klage = out / "nar-brukeren-klager-pa-et-vedtak.md"
    text = klage.read_text(encoding="utf-8")
    start = text.index("sporsmal:")
    end = text.index("tags:", start) if "tags:" in text[start:] else text.index("\n---", start)
    klage.write_text(text[:start] + 'sporsmal:\n  - "vår egen formulering"\n' + text[end:])
    run("--update")
    assert front(klage.read_text(encoding="utf-8"))["sporsmal"] == ["vår egen formulering"]
