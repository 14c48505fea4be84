"""Bad input: every problem names its file and line, and the good entries are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from schedule.loader import load
from tests.conftest import (
    WriteDir,
    deadline_yaml,
    line_of,
    recurring_yaml,
    session_yaml,
)

GOOD_SESSION = session_yaml("god-samling", "2027-01-29")
GOOD_DEADLINE = deadline_yaml("godt-tiltak")
GOOD_RECURRING = recurring_yaml("god-oppgave")


def sessions(*entries: str) -> str:
    return "sessions:\n" + GOOD_SESSION + "".join(entries)


def deadlines(*entries: str) -> str:
    return "deadlines:\n" + GOOD_DEADLINE + "".join(entries)


def recurring(*entries: str) -> str:
    return "recurring:\n" + GOOD_RECURRING + "".join(entries)


# (case, file text, text on the line the problem must name, which such line, message part)
CASES = [
    (
        "wrong date",
        sessions(session_yaml("s1", "2027-02-30")),
        "date: 2027-02-30",
        1,
        "ikke en gyldig dato",
    ),
    (
        "date in Norwegian order",
        sessions(session_yaml("s1", "29.01.2027")),
        "date: 29.01.2027",
        1,
        "ikke en dato",
    ),
    (
        "end before start",
        sessions(session_yaml("s1", "2027-02-26", start='"14:00"', end='"13:00"')),
        'end: "13:00"',
        2,
        "slutt 13:00 er ikke etter start 14:00",
    ),
    (
        "unknown session status",
        sessions(session_yaml("s1", "2027-02-26", status="planed")),
        "status: planed",
        1,
        "ukjent status «planed»",
    ),
    (
        "unknown deadline status",
        deadlines(deadline_yaml("d1", status="done")),
        "status: done",
        1,
        "ukjent status «done» (tillatt: open, evaluated)",
    ),
    (
        "duplicate id in one file",
        sessions(session_yaml("god-samling", "2027-02-26")),
        "- id: god-samling",
        2,
        "id «god-samling» er allerede brukt i",
    ),
    (
        "timezone other than Oslo on an entry",
        sessions(session_yaml("s1", "2027-02-26", timezone="Europe/London")),
        "timezone: Europe/London",
        1,
        "tidssonen må være Europe/Oslo",
    ),
    (
        "UTC offset on a time",
        sessions(session_yaml("s1", "2027-02-26", start='"12:00+01:00"')),
        'start: "12:00+01:00"',
        1,
        "UTC-offset",
    ),
    (
        "UTC time in dtstart",
        recurring(recurring_yaml("r1", dtstart="2027-01-15T09:00Z", duration="PT1H")),
        "dtstart: 2027-01-15T09:00Z",
        1,
        "UTC-offset",
    ),
    (
        "RRULE that never ends",
        recurring(recurring_yaml("r1", rrule="FREQ=MONTHLY;INTERVAL=3")),
        "rrule: FREQ=MONTHLY;INTERVAL=3",
        2,  # the first is the good entry's rule, which has COUNT
        "slutter aldri",
    ),
    (
        "unparseable RRULE",
        recurring(recurring_yaml("r1", rrule="FREQ=SOMETIMES;COUNT=2")),
        "rrule: FREQ=SOMETIMES",
        1,
        "kan ikke tolkes",
    ),
    (
        "RRULE that is not a rule at all",
        recurring(recurring_yaml("r1", rrule="hvert kvartal")),
        "rrule: hvert kvartal",
        1,
        "kan ikke tolkes",
    ),
    (
        "RRULE more often than daily",
        recurring(recurring_yaml("r1", rrule="FREQ=HOURLY;COUNT=3")),
        "rrule: FREQ=HOURLY",
        1,
        "FREQ må være en av",
    ),
    (
        "dtstart not an occurrence of the RRULE",
        recurring(
            recurring_yaml(
                "r1", dtstart="2027-02-01", rrule="FREQ=YEARLY;BYDAY=1TU;BYMONTH=2;COUNT=2"
            )
        ),
        "rrule: FREQ=YEARLY;BYDAY=1TU",
        1,
        "første forekomst blir 2027-02-02",
    ),
    (
        "timed recurring item without duration",
        recurring(recurring_yaml("r1", dtstart="2027-01-15 09:00")),
        "dtstart: 2027-01-15 09:00",
        1,
        "krever «duration»",
    ),
    (
        "missing required field",
        sessions(session_yaml("s1", "2027-02-26", join_url=None)),
        "- id: s1",
        1,
        "mangler påkrevd felt «join_url»",
    ),
    (
        "several required fields missing, named on one line",
        deadlines(deadline_yaml("d1", breach=None, measure=None, changed=None)),
        "- id: d1",
        1,
        "mangler påkrevde felt «changed», «breach», «measure»",
    ),
    (
        "moved_to without a date",
        sessions(
            session_yaml(
                "s1", "2027-02-26", status="moved", revision="1", moved_to='{start: "12:30"}'
            )
        ),
        "moved_to:",
        1,
        "mangler påkrevd felt «date»",
    ),
    (
        "empty required field",
        deadlines(deadline_yaml("d1", responsible='""')),
        'responsible: ""',
        1,
        "«responsible» kan ikke være tom",
    ),
    (
        "unknown key (a typo)",
        sessions(session_yaml("s1", "2027-02-26", titel="Fredagsprat")),
        "titel: Fredagsprat",
        1,
        "ukjent felt «titel» (mente du «title»?)",
    ),
    (
        "evaluation deadline before the start",
        deadlines(deadline_yaml("d1", start="2027-03-01", evaluate_by="2027-02-01")),
        "evaluate_by: 2027-02-01",
        1,
        "evaluate_by 2027-02-01 er før start 2027-03-01",
    ),
    (
        "evaluated without a date",
        deadlines(deadline_yaml("d1", status="evaluated")),
        "status: evaluated",
        1,
        "krever «evaluated_on»",
    ),
    (
        "evaluated_on on an open deadline",
        deadlines(deadline_yaml("d1", evaluated_on="2027-03-01")),
        "evaluated_on: 2027-03-01",
        1,
        "men status er «open»",
    ),
    (
        "moved without moved_to",
        sessions(session_yaml("s1", "2027-02-26", status="moved")),
        "status: moved",
        1,
        "krever «moved_to»",
    ),
    (
        "moved_to ending before it starts",
        sessions(
            session_yaml(
                "s1",
                "2027-02-26",
                status="moved",
                revision="1",
                moved_to='{date: 2027-02-19, start: "15:00"}',
            )
        ),
        "moved_to:",
        1,
        "slutt 13:00 er ikke etter start 15:00",
    ),
    (
        "topic published after the session",
        sessions(session_yaml("s1", "2027-02-26", topic_published="2027-03-01")),
        "topic_published: 2027-03-01",
        1,
        "etter selve samlingen",
    ),
    (
        "id with spaces and capitals",
        sessions(session_yaml('"Fredagsprat 1"', "2027-02-26")),
        'id: "Fredagsprat 1"',
        1,
        "kan bare ha små bokstaver",
    ),
    (
        "join link that is not https",
        sessions(session_yaml("s1", "2027-02-26", join_url="http://example.org/møte")),
        "join_url: http://example.org",
        1,
        "ikke en https-lenke",
    ),
    (
        "the same key twice",
        sessions(session_yaml("s1", "2027-02-26") + "    date: 2027-03-26\n"),
        "date: 2027-03-26",
        1,
        "feltet «date» står to ganger",
    ),
    (
        "a list where one value belongs",
        sessions(session_yaml("s1", "2027-02-26", topic="[a, b]")),
        "topic: [a, b]",
        1,
        "skal være én verdi",
    ),
]


@pytest.mark.parametrize(
    ("text", "needle", "occurrence", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_entry_is_named_by_file_and_line_and_the_rest_is_kept(
    write_dir: WriteDir, text: str, needle: str, occurrence: int, message: str
) -> None:
    directory = write_dir(plan__yaml=text)
    schedule, problems = load(directory)

    errors = [p for p in problems if not p.warning]
    assert len(errors) == 1, "\n".join(map(str, problems))
    (error,) = errors
    assert error.path == directory / "plan.yaml"
    assert error.line == line_of(text, needle, occurrence)
    assert message in error.message
    assert str(error).startswith(f"{directory / 'plan.yaml'}:{error.line}: ")
    kept = [e.id for e in (*schedule.sessions, *schedule.deadlines, *schedule.recurring)]
    assert kept == [text.split("id: ", 1)[1].split("\n", 1)[0]]  # the good first entry only


def test_duplicate_id_across_files_names_both_places(write_dir: WriteDir) -> None:
    first = "sessions:\n" + session_yaml("felles-id", "2027-01-29")
    second = "deadlines:\n" + deadline_yaml("felles-id")
    directory = write_dir(a__yaml=first, b__yaml=second)

    schedule, problems = load(directory)

    assert [str(p) for p in problems] == [
        f"{directory / 'b.yaml'}:2: id «felles-id» er allerede brukt i {directory / 'a.yaml'}:2"
    ]
    assert [s.id for s in schedule.sessions] == ["felles-id"]
    assert schedule.deadlines == ()


def test_file_with_foreign_timezone_is_skipped_and_named(write_dir: WriteDir) -> None:
    text = "timezone: Europe/Stockholm\n" + sessions()
    other = "deadlines:\n" + deadline_yaml("d1")
    directory = write_dir(a__yaml=text, b__yaml=other)

    schedule, problems = load(directory)

    assert [(p.path.name, p.line) for p in problems] == [("a.yaml", 1)]
    assert "Europe/Oslo" in problems[0].message
    assert schedule.sessions == ()
    assert [d.id for d in schedule.deadlines] == ["d1"]


def test_yaml_syntax_error_names_the_line_and_other_files_still_load(write_dir: WriteDir) -> None:
    broken = "sessions:\n  - id: x\n    date: [2027-01-29\n    start: 12:00\n"
    directory = write_dir(broken__yaml=broken, good__yaml=recurring())

    schedule, problems = load(directory)

    assert len(problems) == 1
    assert problems[0].path.name == "broken.yaml"
    assert problems[0].line in (3, 4)  # where the unclosed flow sequence is detected
    assert problems[0].message.startswith("YAML-feil")
    assert [r.id for r in schedule.recurring] == ["god-oppgave"]


def test_unknown_top_level_key_and_bad_defaults_are_named(write_dir: WriteDir) -> None:
    text = (
        "defaults:\n"
        "  sessions:\n"
        "    id: alle\n"
        "    strat: '12:00'\n"
        "session:\n"
        "  - id: x\n" + sessions()
    )
    directory = write_dir(plan__yaml=text)

    _, problems = load(directory)

    assert [(p.line, p.message) for p in problems] == [
        (3, "defaults: «id» kan ikke ha en standardverdi"),
        (4, "defaults: ukjent felt «strat» (mente du «start»?)"),
        (5, "ukjent felt «session» (mente du «sessions»?)"),
    ]


def test_bad_value_in_defaults_names_the_defaults_line_once(write_dir: WriteDir) -> None:
    entries = session_yaml("a", "2027-01-29", end=None) + session_yaml("b", "2027-02-26", end=None)
    text = "defaults:\n  sessions:\n    end: '25:00'\nsessions:\n" + entries
    directory = write_dir(plan__yaml=text)

    schedule, problems = load(directory)

    assert [p.line for p in problems] == [3]
    assert "verdi fra defaults" in problems[0].message
    assert schedule.sessions == ()


def test_cancelled_session_without_revision_is_a_warning_not_an_error(write_dir: WriteDir) -> None:
    text = sessions(session_yaml("avlyst", "2027-05-28", status="cancelled"))
    directory = write_dir(plan__yaml=text)

    schedule, problems = load(directory)

    assert [(p.warning, p.line) for p in problems] == [(True, line_of(text, "- id: avlyst"))]
    assert "revision er 0" in problems[0].message
    assert str(problems[0]).split(": ", 1)[1].startswith("advarsel: ")
    assert [s.id for s in schedule.sessions] == ["god-samling", "avlyst"]


def test_missing_or_empty_directory_is_a_problem(tmp_path: Path) -> None:
    _, missing = load(tmp_path / "finnes-ikke")
    (tmp_path / "tom").mkdir()
    _, empty = load(tmp_path / "tom")

    assert [p.message for p in missing] == ["mappen finnes ikke"]
    assert [p.message for p in empty] == ["ingen .yaml-filer i mappen"]
