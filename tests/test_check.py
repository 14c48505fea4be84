"""`python -m handbook check`: one `file:line: message` per problem, non-zero on errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from handbook.__main__ import main
from handbook.check import check, errors
from handbook.loader import load_handbook
from handbook.service import SHIPPED_HANDBOOK
from tests.conftest import VALID_FRONT, write_routine

TODAY = date(2026, 11, 23)


def messages(directory: Path) -> list[str]:
    return [str(p) for p in check(directory, today=TODAY)]


def test_the_fixture_handbook_is_clean(small_handbook):
    assert messages(small_handbook) == []


def test_the_shipped_handbook_is_clean_and_complete():
    problems = check(SHIPPED_HANDBOOK, today=TODAY)
    assert [str(p) for p in problems] == []
    ids = {p.routine.id for p in load_handbook(SHIPPED_HANDBOOK).routines}
    required = {
        "muntlig-soknad",
        "vedtak-okonomisk-radgivning",
        "journalforing",
        "overforing-inhabilitet",
        "kartlegging-barn",
        "barneperspektiv-vedtak",
        "akutt-hjelp",
        "godkjenning-vedtak",
        "internkontroll",
        "avvik",
        "tilgjengelighet",
        "oppfolgingssamtale",
        "kartleggingssamtale",
        "taushetsplikt",
    }
    assert required <= ids
    for parsed in load_handbook(SHIPPED_HANDBOOK).routines:
        assert len(parsed.routine.sections) >= 3, parsed.routine.id
        assert parsed.routine.legal, parsed.routine.id
        assert parsed.routine.owner, parsed.routine.id


def test_bad_yaml_names_file_and_line(small_handbook):
    path = write_routine(small_handbook, "brutt", "id: brutt\ntitle: [ikke lukket\nowner: x")
    found = messages(small_handbook)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:4: ugyldig YAML")
    assert "begynner på linje 3" in found[0]


def test_missing_field_and_bad_date(small_handbook):
    write_routine(small_handbook, "mangler", "id: mangler\ntitle: T\nrevised: 2026-01-01")
    write_routine(
        small_handbook, "dato", VALID_FRONT.format(id="dato").replace("2027-09-01", "2027-13-45")
    )
    problems = check(small_handbook, today=TODAY)
    found = "\n".join(str(p) for p in problems)
    assert "mangler.md:1: advarsel: mangler feltet «owner»" in found
    assert "dato.md:6: «review_by» må være en dato" in found
    assert [p.path.name for p in errors(problems)] == ["dato.md"]  # a wrong date is an error
    # Neither hides the routine's text: both are served, marked with what is missing.
    served = {p.routine.id: p.routine for p in load_handbook(small_handbook, TODAY).routines}
    assert served["mangler"].missing == ("owner", "review_by", "legal")
    assert served["mangler"].missing_at == (("owner", 1), ("review_by", 1), ("legal", 1))
    assert served["dato"].missing == ("review_by",)
    assert served["dato"].missing_at == (("review_by", 6),)
    assert served["dato"].not_assured == (
        "Ikke kvalitetssikret ennå – dato for neste gjennomgang mangler"
    )


def test_duplicate_id_points_at_the_second_file(small_handbook):
    write_routine(small_handbook, "zz-kopi", VALID_FRONT.format(id="journalforing"))
    found = messages(small_handbook)
    assert any(
        "zz-kopi.md:2: id «journalforing» er allerede brukt i journalforing.md" in m for m in found
    )


def test_review_date_in_the_past_is_a_warning(small_handbook):
    write_routine(
        small_handbook,
        "gammel",
        VALID_FRONT.format(id="gammel").replace("2027-09-01", "2026-01-01"),
    )
    problems = check(small_handbook, today=TODAY)
    assert [str(p) for p in problems] == [
        f"{small_handbook / 'gammel.md'}:6: advarsel: rutinen skulle vært gjennomgått innen 2026-01-01"
    ]
    assert errors(problems) == []
    # The routine is still served: an overdue review is a reminder, not a broken file.
    assert "gammel" in {p.routine.id for p in load_handbook(small_handbook, TODAY).routines}
    # The day itself is not overdue.
    assert check(small_handbook, today=date(2026, 1, 1)) == []


def test_warnings_alone_exit_0_and_strict_makes_them_fail(small_handbook, capsys):
    write_routine(
        small_handbook,
        "gammel",
        VALID_FRONT.format(id="gammel").replace("2027-09-01", "2026-01-01"),
    )
    assert main(["check", str(small_handbook), "--today", "2026-11-23"]) == 0
    assert main(["check", str(small_handbook), "--today", "2026-11-23", "--strict"]) == 1
    assert main(["check", str(small_handbook), "--today", "2025-12-31", "--strict"]) == 0
    captured = capsys.readouterr()
    assert "gammel.md:6: advarsel: rutinen skulle vært gjennomgått" in captured.out
    assert "0 feil, 1 advarsel(er)" in captured.err


def test_todo_left_by_the_import_is_a_warning_and_the_routine_is_served_marked(small_handbook):
    front = (
        VALID_FRONT.format(id="utkast")
        .replace("2027-09-01", "TODO")
        .replace("owner: ", "owner: TODO\n# was: ")
    )
    write_routine(small_handbook, "utkast", front)
    problems = check(small_handbook, today=TODAY)
    found = [str(p) for p in problems]
    assert any("utkast.md:4: advarsel: «owner» er ikke fylt ut ennå (TODO)" in m for m in found)
    assert any("utkast.md:7: advarsel: «review_by» er ikke fylt ut ennå (TODO)" in m for m in found)
    assert not any("må være en dato" in m for m in found)
    assert errors(problems) == []
    served = {p.routine.id: p.routine for p in load_handbook(small_handbook, TODAY).routines}
    routine = served["utkast"]
    assert (routine.owner, routine.review_by, routine.revised) == (None, None, date(2026, 9, 1))
    assert routine.not_assured == (
        "Ikke kvalitetssikret ennå – eier og dato for neste gjennomgang mangler"
    )


def test_link_to_missing_routine_and_empty_section(small_handbook):
    write_routine(
        small_handbook,
        "lenke",
        VALID_FRONT.format(id="lenke"),
        "## Første\nSe [noe](rutine:finnes-ikke).\n\n## Tom\n\n## Siste\nTekst.\n",
    )
    found = messages(small_handbook)
    assert any("lenke.md:11: lenke til rutinen «finnes-ikke», som ikke finnes" in m for m in found)
    assert any("lenke.md:13: seksjonen «Tom» er tom" in m for m in found)


def test_unknown_legal_reference_and_unknown_field(small_handbook):
    write_routine(
        small_handbook, "lov", VALID_FRONT.format(id="lov") + "  - lov om ingenting\nfarge: blå"
    )
    found = messages(small_handbook)
    assert any("lov.md:7: forstår ikke lovhenvisningen «lov om ingenting»" in m for m in found)
    assert any("lov.md:10: advarsel: ukjent felt «farge»" in m for m in found)


def test_a_broken_file_does_not_take_the_others_down(small_handbook):
    (small_handbook / "binær.md").write_bytes(b"\xff\xfe\x00rubbish")
    write_routine(small_handbook, "ingen-topptekst", "", body="")
    (small_handbook / "ingen-topptekst.md").write_text("Bare tekst\n", encoding="utf-8")
    loaded = load_handbook(small_handbook, today=TODAY)
    assert {p.routine.id for p in loaded.routines} == {"muntlig-soknad", "journalforing"}
    assert len(errors(list(loaded.problems))) == 2


def test_cli_exit_codes(small_handbook, capsys):
    assert main(["check", str(small_handbook), "--today", "2026-11-23"]) == 0
    write_routine(small_handbook, "brutt", "id: [")
    assert main(["check", str(small_handbook), "--today", "2026-11-23"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        f"{small_handbook / 'brutt.md'}:2: ugyldig YAML i toppteksten: "
        "expected the node content, but found '<stream end>'"
    ] or out[0].startswith(f"{small_handbook / 'brutt.md'}:")


def test_bad_synonym_file(small_handbook):
    (small_handbook / "synonymer.yaml").write_text("- [a, b]\n- [bare-ett]\n- [x, y\n")
    found = messages(small_handbook)
    assert any("synonymer.yaml:" in m for m in found)
