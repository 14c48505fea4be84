"""Example questions per routine (front matter ``sporsmal``): loaded, checked, indexed, ranked."""

from __future__ import annotations

from datetime import date

import pytest

from handbook import Handbook
from handbook.check import check
from handbook.index import documents, open_index, schema, sync_index
from handbook.loader import load_handbook
from tests.conftest import VALID_FRONT, write_routine

TODAY = date(2026, 11, 23)
BODY = (
    "## Lagring av papirer\nPapirer som brukeren leverer i skranken, skannes inn samme dag.\n\n"
    "## Originaler\nOriginaler gis tilbake til brukeren etter skanning.\n"
)


def messages(directory) -> list[str]:
    return [str(p) for p in check(directory, today=TODAY)]


def routine(directory, name: str):
    return next(p.routine for p in load_handbook(directory).routines if p.routine.id == name)


def test_example_questions_are_loaded_in_order(small_handbook):
    front = VALID_FRONT.format(id="skanning") + (
        "sporsmal:\n  - hvor blir papirene av\n  - 'skal originalen tilbake: ja?'\n"
    )
    write_routine(small_handbook, "skanning", front, BODY)
    assert messages(small_handbook) == []
    questions = routine(small_handbook, "skanning").questions
    assert questions == ("hvor blir papirene av", "skal originalen tilbake: ja?")


@pytest.mark.parametrize(
    "value",
    [
        "sporsmal: hvor blir papirene av",  # one string, not a list
        "sporsmal:\n  - hva nå: papirene\n",  # an unquoted colon makes a mapping
        "sporsmal:\n  - 17\n",
        "sporsmal:\n  - [a, b]\n",
    ],
)
def test_not_a_list_of_strings_is_an_error_at_the_key_s_line(small_handbook, value):
    front = VALID_FRONT.format(id="skanning") + value
    path = write_routine(small_handbook, "skanning", front, BODY)
    line = 2 + front.strip().splitlines().index(value.splitlines()[0])
    found = messages(small_handbook)
    assert found == [
        f"{path}:{line}: «sporsmal» må være en liste med spørsmål som tekst, ett per linje"
        " (sett anførselstegn rundt et spørsmål med kolon)"
    ]
    # The routine is still served, without example questions.
    assert routine(small_handbook, "skanning").questions == ()


def test_an_empty_question_is_left_out_with_a_warning(small_handbook):
    front = (
        VALID_FRONT.format(id="skanning") + "sporsmal:\n  - ''\n  - hvor blir papirene av\n  -\n"
    )
    path = write_routine(small_handbook, "skanning", front, BODY)
    line = 2 + front.strip().splitlines().index("sporsmal:")
    found = check(small_handbook, today=TODAY)
    assert [str(p) for p in found] == [
        f"{path}:{line}: advarsel: «sporsmal» har et tomt spørsmål, som er hoppet over"
    ]
    assert all(p.warning for p in found)
    assert routine(small_handbook, "skanning").questions == ("hvor blir papirene av",)


def test_example_questions_are_an_index_field_of_their_own(small_handbook):
    front = VALID_FRONT.format(id="skanning") + "sporsmal:\n  - hvor havner originalene\n"
    write_routine(small_handbook, "skanning", front, BODY)
    found = routine(small_handbook, "skanning")
    assert {"questions", "questions_folded"} <= set(schema().names())
    docs = list(documents(found, "v1"))
    assert len(docs) == 2
    assert all(d["questions"] == "hvor havner originalene" for d in docs)
    ix = open_index(None)
    sync_index(ix, [found])
    with ix.searcher() as searcher:
        assert "havn" in {t.decode() for t in searcher.lexicon("questions")}
        assert "havn" not in {t.decode() for t in searcher.lexicon("body")}
        assert "havn" not in {t.decode() for t in searcher.lexicon("head")}


@pytest.mark.parametrize("owner", ["arkiv-a", "arkiv-b"])
def test_a_question_like_an_example_question_ranks_that_routine_first(small_handbook, owner):
    # Two routines with the same text; only ``owner`` has the example question, in words its
    # text does not use ("havner", "papirene").
    body = "## Dokumenter\nDokumenter fra brukeren skannes og lagres i saken samme dag.\n"
    example = "sporsmal:\n  - hvor havner papirene fra bruker, lagres de\n"
    for name in ("arkiv-a", "arkiv-b"):
        front = VALID_FRONT.format(id=name) + (example if name == owner else "")
        write_routine(small_handbook, name, front, body)
    hb = Handbook.open(small_handbook, index_dir=None)
    try:
        result = hb.search("hvor havner papirene til bruker, blir de lagret")
        assert result.hits[0].routine_id == owner
        assert result.hits[0].score > 2 * result.hits[1].score
        assert result.confident and result.confidence > 0.9
    finally:
        hb.close()


def test_without_example_questions_the_two_routines_tie(small_handbook):
    body = "## Dokumenter\nDokumenter fra brukeren skannes og lagres i saken samme dag.\n"
    for name in ("arkiv-a", "arkiv-b"):
        write_routine(small_handbook, name, VALID_FRONT.format(id=name), body)
    hb = Handbook.open(small_handbook, index_dir=None)
    try:
        result = hb.search("hvor havner papirene til bruker, blir de lagret")
        assert [h.score for h in result.hits[:2]] == [result.hits[0].score] * 2
        assert not result.confident
    finally:
        hb.close()


def test_every_shipped_routine_has_three_to_five_example_questions():
    for parsed in load_handbook(Handbook.open(index_dir=None).directory).routines:
        assert 3 <= len(parsed.routine.questions) <= 5, parsed.routine.id
