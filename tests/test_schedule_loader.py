"""Loading a schedule directory: the shipped example, types, defaults, line numbers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from schedule.loader import load
from schedule.model import OSLO, DeadlineStatus, SessionStatus, Slot
from schedule.paths import SHIPPED_DIR
from tests.conftest import WriteDir, deadline_yaml, line_of, recurring_yaml, session_yaml


def test_shipped_example_loads_without_problems() -> None:
    schedule, problems = load(SHIPPED_DIR)

    assert problems == ()
    assert len(schedule.sessions) == 14
    assert len(schedule.deadlines) == 20
    assert len(schedule.recurring) == 7
    statuses = [s.status for s in schedule.sessions]
    assert statuses.count(SessionStatus.CANCELLED) == 1
    assert statuses.count(SessionStatus.MOVED) == 1
    evaluated = [d for d in schedule.deadlines if d.status == DeadlineStatus.EVALUATED]
    assert 0 < len(evaluated) < len(schedule.deadlines) / 2  # a few evaluated, most open


def test_shipped_sessions_follow_the_2023_pattern() -> None:
    schedule, _ = load(SHIPPED_DIR)

    for session in schedule.sessions:
        assert session.slot.date.weekday() == 4  # Friday
        assert (session.slot.date + timedelta(days=7)).month != session.slot.date.month  # last
        assert session.slot.date.month not in (6, 7, 12)
        assert (session.slot.start, session.slot.end) == (time(12), time(13))
        assert "EKSEMPEL" in session.join_url


def test_shipped_example_names_roles_not_people() -> None:
    # Officials named in the source documents must not appear in the example.
    names = ("Saltnes", "Økdal", "Tenfjord", "Aufles", "Tofte", "Lindseth")
    for path in SHIPPED_DIR.iterdir():
        text = path.read_text("utf-8")
        assert not [n for n in names if n in text], path


def test_values_are_typed_from_the_text_as_written(write_dir: WriteDir) -> None:
    # Unquoted 12:00 would be the number 720 to YAML 1.1; the loader reads the text itself.
    text = "sessions:\n" + session_yaml(
        "s1", "2027-01-29", start="12:00", end="13:30", topic_published="2027-01-15"
    )
    schedule, problems = load(write_dir(s__yaml=text))

    assert problems == ()
    (session,) = schedule.sessions
    assert session.slot == Slot(date(2027, 1, 29), time(12), time(13, 30))
    assert session.starts_at == datetime(2027, 1, 29, 12, 0, tzinfo=OSLO)
    assert session.topic_published == date(2027, 1, 15)
    assert session.changed == datetime(2026, 11, 1, 0, 0, tzinfo=OSLO)
    assert session.origin.line == line_of(text, "- id: s1")


def test_moved_session_keeps_its_times_unless_given(write_dir: WriteDir) -> None:
    text = "sessions:\n" + session_yaml(
        "s1", "2027-03-26", status="moved", revision="1", moved_to="{date: 2027-03-19}"
    )
    schedule, problems = load(write_dir(s__yaml=text))

    assert problems == ()
    (session,) = schedule.sessions
    assert session.slot.date == date(2027, 3, 26)
    assert session.when == Slot(date(2027, 3, 19), time(12), time(13))
    assert session.starts_at == datetime(2027, 3, 19, 12, tzinfo=OSLO)


def test_defaults_fill_in_and_entries_override(write_dir: WriteDir) -> None:
    text = """\
        defaults:
          sessions:
            title: Fredagsprat med Statsforvalteren
            start: "12:00"
            end: "13:00"
            organiser: Statsforvalteren
            join_url: https://teams.microsoft.com/l/meetup-join/felles
            status: planned
            changed: 2026-11-20
        sessions:
          - id: a
            date: 2027-01-29
          - id: b
            date: 2027-02-26
            start: "12:30"
            title: Ekstra fredagsprat
        """
    schedule, problems = load(write_dir(s__yaml=text))

    assert problems == ()
    a, b = schedule.sessions
    assert (a.title, a.slot.start, a.organiser) == (
        "Fredagsprat med Statsforvalteren",
        time(12),
        "Statsforvalteren",
    )
    assert (b.title, b.slot.start, b.slot.end) == ("Ekstra fredagsprat", time(12, 30), time(13))


def test_anchors_and_folded_text_are_read(write_dir: WriteDir) -> None:
    text = (
        "deadlines:\n"
        + deadline_yaml("d1", breach="&brudd >-\n      Første linje\n      andre linje.")
        + deadline_yaml("d2", breach="*brudd")
    )
    schedule, problems = load(write_dir(d__yaml=text))

    assert problems == ()
    assert [d.breach for d in schedule.deadlines] == ["Første linje andre linje."] * 2


def test_entries_from_several_files_are_merged_and_sorted(write_dir: WriteDir) -> None:
    directory = write_dir(
        b__yaml="sessions:\n" + session_yaml("senere", "2027-02-26"),
        a__yml="sessions:\n" + session_yaml("tidligere", "2027-01-29"),
        notes__md="# ikke YAML, hoppes over\n",
        c__yaml="recurring:\n" + recurring_yaml("r1") + "deadlines:\n" + deadline_yaml("d1"),
    )
    schedule, problems = load(directory)

    assert problems == ()
    assert [s.id for s in schedule.sessions] == ["tidligere", "senere"]
    assert [d.id for d in schedule.deadlines] == ["d1"]
    assert [r.id for r in schedule.recurring] == ["r1"]


def test_recurring_items_all_day_and_timed(write_dir: WriteDir) -> None:
    text = (
        "recurring:\n"
        + recurring_yaml("heldag")
        + recurring_yaml(
            "mote",
            dtstart="2027-06-08 09:00",
            duration="PT1H",
            rrule="FREQ=YEARLY;BYMONTH=6,12;BYDAY=2TU;UNTIL=20281231",
        )
    )
    schedule, problems = load(write_dir(r__yaml=text))

    assert problems == ()
    whole_day, meeting = schedule.recurring
    assert whole_day.all_day and whole_day.duration == timedelta(days=1)
    assert whole_day.dtstart == date(2027, 1, 15)
    assert not meeting.all_day and meeting.duration == timedelta(hours=1)
    assert meeting.dtstart == datetime(2027, 6, 8, 9, 0, tzinfo=OSLO)
    # UNTIL is normalised to UTC for a timed rule: the end of 31 Dec 2028 in Oslo.
    assert meeting.rrule == "FREQ=YEARLY;UNTIL=20281231T225959Z;BYDAY=2TU;BYMONTH=6,12"


def test_fingerprint_follows_content_only(write_dir: WriteDir) -> None:
    text = "sessions:\n" + session_yaml("s1", "2027-01-29")
    first, _ = load(write_dir("one", s__yaml=text))
    same, _ = load(write_dir("two", s__yaml=text))
    other, _ = load(write_dir("three", s__yaml=text.replace("2027-01-29", "2027-02-26")))

    assert first.fingerprint == same.fingerprint
    assert first.fingerprint != other.fingerprint


def test_empty_file_and_empty_list_are_fine(write_dir: WriteDir) -> None:
    directory = write_dir(empty__yaml="", nothing__yaml="sessions:\n# kommer\n")
    schedule, problems = load(directory)

    assert problems == ()
    assert schedule.sessions == ()
