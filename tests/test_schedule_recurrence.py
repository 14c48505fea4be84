"""RRULEs of the yearly cycle: checking, normalising and expanding (dateutil's rrule)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar

from schedule.fields import FieldError
from schedule.ics import deadlines_calendar
from schedule.loader import load
from schedule.model import OSLO
from schedule.recurrence import MAX_OCCURRENCES, normalise_rrule, occurrences, occurrences_between
from tests.conftest import BASE_URL, WriteDir, recurring_yaml

MORNING = datetime(2027, 6, 8, 9, 0, tzinfo=OSLO)


@pytest.mark.parametrize(
    ("rule", "dtstart", "expected"),
    [
        ("FREQ=MONTHLY;INTERVAL=3;COUNT=8", date(2027, 1, 15), "FREQ=MONTHLY;COUNT=8;INTERVAL=3"),
        ("RRULE:FREQ=YEARLY;COUNT=3", date(2027, 8, 31), "FREQ=YEARLY;COUNT=3"),
        ("freq=yearly;count=3", date(2027, 8, 31), "FREQ=YEARLY;COUNT=3"),
        # All-day: UNTIL stays (or becomes) a DATE.
        ("FREQ=MONTHLY;UNTIL=20271231", date(2027, 1, 15), "FREQ=MONTHLY;UNTIL=20271231"),
        ("FREQ=MONTHLY;UNTIL=20271231T230000Z", date(2027, 1, 15), "FREQ=MONTHLY;UNTIL=20280101"),
        # Timed: UNTIL in UTC; a date means through that day in Oslo (winter and summer).
        ("FREQ=WEEKLY;UNTIL=20271231", MORNING, "FREQ=WEEKLY;UNTIL=20271231T225959Z"),
        ("FREQ=WEEKLY;UNTIL=20270731", MORNING, "FREQ=WEEKLY;UNTIL=20270731T215959Z"),
        ("FREQ=WEEKLY;UNTIL=20270731T090000", MORNING, "FREQ=WEEKLY;UNTIL=20270731T070000Z"),
        ("FREQ=WEEKLY;UNTIL=20270731T070000Z", MORNING, "FREQ=WEEKLY;UNTIL=20270731T070000Z"),
    ],
)
def test_normalised_rules(rule: str, dtstart: date, expected: str) -> None:
    assert normalise_rrule(rule, dtstart) == expected


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=YEARLY", "slutter aldri"),
        ("FREQ=YEARLY;INTERVAL=2;BYMONTH=6", "slutter aldri"),
        ("FREQ=YEARLY;COUNT=2;UNTIL=20301231", "både COUNT og UNTIL"),
        ("FREQ=MINUTELY;COUNT=2", "FREQ må være en av"),
        ("FREQ=YEARLY;COUNT=two", "kan ikke tolkes"),
        ("FREQ=YEARLY;BYDAY=XX;COUNT=2", "kan ikke tolkes"),
        ("FREQ=YEARLY;DTSTART=20270115;COUNT=2", "ukjent del: DTSTART"),
        ("COUNT=2", "FREQ må være en av"),
        ("", "kan ikke tolkes"),
        ("FREQ=YEARLY;UNTIL=20200101", "gir ingen forekomster"),
        (f"FREQ=DAILY;COUNT={MAX_OCCURRENCES + 1}", f"mer enn {MAX_OCCURRENCES}"),
        ("FREQ=MONTHLY;BYMONTHDAY=16;COUNT=2", "første forekomst blir 2027-02-16"),
    ],
)
def test_refused_rules(rule: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        normalise_rrule(rule, date(2027, 1, 17))


def _items(write_dir: WriteDir, *entries: str):
    schedule, problems = load(write_dir(r__yaml="recurring:\n" + "".join(entries)))
    assert problems == ()
    return schedule


def test_quarterly_and_half_yearly(write_dir: WriteDir) -> None:
    schedule = _items(
        write_dir,
        recurring_yaml("kvartal", rrule="FREQ=MONTHLY;INTERVAL=3;COUNT=4"),
        recurring_yaml("halvar", dtstart="2026-12-15", rrule="FREQ=MONTHLY;INTERVAL=6;COUNT=3"),
    )
    quarterly, half_yearly = (occurrences(item) for item in schedule.recurring)

    assert quarterly == (
        date(2027, 1, 15),
        date(2027, 4, 15),
        date(2027, 7, 15),
        date(2027, 10, 15),
    )
    assert half_yearly == (date(2026, 12, 15), date(2027, 6, 15), date(2027, 12, 15))


def test_timed_items_keep_their_wall_clock_time_across_summer_time(write_dir: WriteDir) -> None:
    schedule = _items(
        write_dir,
        recurring_yaml(
            "kontormote",
            dtstart="2027-03-23 09:00",  # Tuesday before the March switch
            duration="PT1H",
            rrule="FREQ=WEEKLY;COUNT=3",
        ),
    )
    starts = occurrences(schedule.recurring[0])

    assert [s.strftime("%Y-%m-%d %H:%M %z") for s in starts] == [
        "2027-03-23 09:00 +0100",
        "2027-03-30 09:00 +0200",
        "2027-04-06 09:00 +0200",
    ]
    elapsed = starts[1].astimezone(UTC) - starts[0].astimezone(UTC)
    assert elapsed == timedelta(days=7, hours=-1)  # 167 real hours apart


def test_occurrences_between_uses_oslo_dates_for_all_day_items(write_dir: WriteDir) -> None:
    schedule = _items(write_dir, recurring_yaml("kvartal", rrule="FREQ=MONTHLY;INTERVAL=3;COUNT=8"))
    item = schedule.recurring[0]
    # 23:30 UTC on 14 April is already 15 April in Oslo.
    start = datetime(2027, 4, 14, 23, 30, tzinfo=UTC)

    assert occurrences_between(item, start, start + timedelta(days=100)) == (
        date(2027, 4, 15),
        date(2027, 7, 15),
    )


RULES = [
    ("2027-01-29", None, "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231"),  # the Fredagsprat pattern
    ("2027-02-02", None, "FREQ=YEARLY;BYMONTH=2,5,10;BYDAY=1TU;UNTIL=20291231"),
    ("2027-01-04", None, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=20"),
    ("2027-01-29", None, "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=12"),
    ("2027-01-31", None, "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=14"),
    ("2027-06-08 09:00", "PT1H", "FREQ=YEARLY;BYMONTH=6,12;BYDAY=2TU;UNTIL=20301231"),
    ("2027-01-05 13:30", "PT45M", "FREQ=WEEKLY;UNTIL=20280105T123000Z"),
    ("2027-03-26 12:00", "PT1H", "FREQ=DAILY;INTERVAL=7;COUNT=40"),
]


def test_expansion_agrees_with_recurring_ical_events(write_dir: WriteDir) -> None:
    entries = [
        recurring_yaml(f"r{n}", dtstart=start, duration=duration, rrule=rule)
        for n, (start, duration, rule) in enumerate(RULES)
    ]
    schedule = _items(write_dir, *entries)
    calendar = Calendar.from_ical(deadlines_calendar(schedule, BASE_URL))
    theirs: dict[str, list] = {}
    for event in recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2032, 1, 1)):
        theirs.setdefault(str(event["UID"]), []).append(event.decoded("DTSTART"))

    for item in schedule.recurring:
        ours = list(occurrences(item))
        assert sorted(theirs[f"arshjul-{item.id}@rutinebot.example.no"]) == ours, item.rrule
        assert len(ours) > 2
