"""Calendar feeds: RFC 5545 as icalendar and Mozilla's ical.js read them."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import recurring_ical_events
from icalendar import Calendar, Event, Timezone

from schedule.ics import (
    VTIMEZONE_OSLO,
    deadlines_calendar,
    etag,
    fredagsprat_calendar,
    session_calendar,
)
from schedule.loader import load
from schedule.model import OSLO, Origin, Schedule, Session, SessionStatus, Slot
from schedule.paths import SHIPPED_DIR
from schedule.recurrence import occurrences
from tests.conftest import BASE_URL, JOIN, NOW, WriteDir, icaljs, session_yaml


def make_session(
    sid: str, day: date, start: time = time(12), end: time = time(13), **kw
) -> Session:
    values = dict(
        id=sid,
        slot=Slot(day, start, end),
        title="Fredagsprat med Statsforvalteren",
        topic="",
        topic_published=None,
        join_url=JOIN,
        organiser="Statsforvalteren",
        status=SessionStatus.PLANNED,
        moved_to=None,
        note="",
        revision=0,
        changed=datetime(2026, 11, 1, tzinfo=OSLO),
        origin=Origin(Path("test.yaml"), 1),
    )
    return Session(**(values | kw))


def events(body: bytes) -> dict[str, Event]:
    calendar = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def by_uid(feed: dict) -> dict[str, dict]:
    return {e["uid"]: e for e in feed["events"]}


@pytest.fixture(scope="module")
def shipped() -> Schedule:
    schedule, problems = load(SHIPPED_DIR)
    assert problems == ()
    return schedule


# --- time zone --------------------------------------------------------------------------------


def test_vtimezone_agrees_with_the_tz_database_for_ten_years() -> None:
    # Every hour of March and October (the switches), and noon UTC on every other day.
    rules = Timezone.from_ical(VTIMEZONE_OSLO).to_tz(lookup_tzid=False)  # from our text only
    instant = datetime(2026, 1, 1, 0, 30, tzinfo=UTC)
    checked, mismatches = 0, []
    while instant.year < 2036:
        step = timedelta(hours=1) if instant.month in (3, 10) else timedelta(days=1)
        probe = instant if step == timedelta(hours=1) else instant.replace(hour=12)
        if probe.astimezone(rules).utcoffset() != probe.astimezone(OSLO).utcoffset():
            mismatches.append(probe)
        checked += 1
        instant += step
    assert mismatches == []
    assert checked > 10 * 61 * 24


SWITCHES = [
    # Friday before / after the last Sunday of March and of October 2027, 12:00 local.
    (date(2027, 3, 26), "+01:00", "2027-03-26T11:00:00.000Z"),
    (date(2027, 4, 2), "+02:00", "2027-04-02T10:00:00.000Z"),
    (date(2027, 10, 29), "+02:00", "2027-10-29T10:00:00.000Z"),
    (date(2027, 11, 5), "+01:00", "2027-11-05T11:00:00.000Z"),
]


def _switch_schedule() -> Schedule:
    return Schedule(
        sessions=tuple(make_session(f"s{n}", d) for n, (d, _, _) in enumerate(SWITCHES))
    )


def test_twelve_oclock_stays_twelve_across_summer_time_switches_icalendar() -> None:
    body = fredagsprat_calendar(_switch_schedule(), NOW, BASE_URL)
    for n, (day, offset, utc) in enumerate(SWITCHES):
        event = events(body)[f"fredagsprat-s{n}@rutinebot.example.no"]
        start = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
        assert (start.date(), start.time()) == (day, time(12))
        assert start.isoformat().endswith(offset)
        assert start.astimezone(UTC).isoformat().replace("+00:00", ".000Z") == utc
    assert f"DTSTART;TZID=Europe/Oslo:{SWITCHES[1][0]:%Y%m%d}T120000" in body.decode()


def test_twelve_oclock_stays_twelve_across_summer_time_switches_icaljs() -> None:
    feed = icaljs(fredagsprat_calendar(_switch_schedule(), NOW, BASE_URL))
    assert feed["timezones"] == ["Europe/Oslo"]
    got = {
        e["uid"]: (e["start"]["oslo"], e["start"]["offset"], e["start"]["utc"])
        for e in feed["events"]
    }
    for n, (day, offset, utc) in enumerate(SWITCHES):
        assert got[f"fredagsprat-s{n}@rutinebot.example.no"] == (f"{day}T12:00:00", offset, utc)


def test_icaljs_agrees_with_the_tz_database_on_every_friday_and_around_the_switches() -> None:
    sessions = []
    day = date(2026, 1, 2)
    while day.year < 2031:
        sessions.append(make_session(f"f{day:%Y%m%d}", day))
        day += timedelta(days=7)
    for year in range(2026, 2031):
        for month in (3, 10):  # the switching Sundays, just before and after the switch
            sunday = max(
                date(year, month, d) for d in range(25, 32) if date(year, month, d).weekday() == 6
            )
            sessions.append(make_session(f"a{sunday:%Y%m%d}", sunday, time(1, 30), time(1, 45)))
            sessions.append(make_session(f"b{sunday:%Y%m%d}", sunday, time(3, 30), time(3, 45)))
    schedule = Schedule(sessions=tuple(sessions))
    feed = by_uid(
        icaljs(fredagsprat_calendar(schedule, datetime(2025, 12, 1, tzinfo=OSLO), BASE_URL))
    )

    assert len(feed) == len(sessions)
    for session in sessions:
        start = feed[f"fredagsprat-{session.id}@rutinebot.example.no"]["start"]
        expected = session.starts_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert (start["utc"], start["oslo"]) == (
            expected,
            session.starts_at.strftime("%Y-%m-%dT%H:%M:%S"),
        )


# --- the shipped example in real parsers ------------------------------------------------------


def test_shipped_feed_imports_into_icaljs_with_oslo_times(shipped: Schedule) -> None:
    feed = icaljs(fredagsprat_calendar(shipped, NOW, BASE_URL))

    assert feed["name"] == "Fredagsprat med Statsforvalteren"
    starts = [(e["start"]["oslo"], e["start"]["offset"]) for e in feed["events"]]
    assert starts == [
        ("2026-08-28T12:00:00", "+02:00"),
        ("2026-09-25T12:00:00", "+02:00"),
        ("2026-10-30T12:00:00", "+01:00"),
        ("2026-11-27T12:00:00", "+01:00"),
        ("2027-01-29T12:00:00", "+01:00"),
        ("2027-02-26T12:00:00", "+01:00"),
        ("2027-03-19T12:00:00", "+01:00"),  # moved from Good Friday
        ("2027-04-30T12:00:00", "+02:00"),
        ("2027-05-28T12:00:00", "+02:00"),  # cancelled, still listed
        ("2027-08-27T12:00:00", "+02:00"),
        ("2027-09-24T12:00:00", "+02:00"),
        ("2027-10-29T12:00:00", "+02:00"),
        ("2027-11-26T12:00:00", "+01:00"),
    ]
    assert all(e["end"]["oslo"].endswith("T13:00:00") for e in feed["events"])


def test_cancelled_session_is_kept_with_status_cancelled(shipped: Schedule) -> None:
    body = fredagsprat_calendar(shipped, NOW, BASE_URL)
    uid = "fredagsprat-fredagsprat-2027-05@rutinebot.example.no"
    event = events(body)[uid]
    js = by_uid(icaljs(body))[uid]

    assert event["STATUS"] == "CANCELLED" and js["status"] == "CANCELLED"
    assert js["summary"].startswith("AVLYST: ")
    assert js["sequence"] == 1
    others = [e for u, e in events(body).items() if u != uid]
    assert {str(e["STATUS"]) for e in others} == {"CONFIRMED"}


def test_moved_session_is_at_the_new_time_and_says_so(shipped: Schedule) -> None:
    js = by_uid(icaljs(fredagsprat_calendar(shipped, NOW, BASE_URL)))
    moved = js["fredagsprat-fredagsprat-2027-03@rutinebot.example.no"]

    assert moved["start"]["oslo"] == "2027-03-19T12:00:00"
    assert moved["status"] == "CONFIRMED"
    assert "Flyttet fra fredag 26. mars 2027 kl. 12:00–13:00." in moved["description"]


def test_join_link_is_the_url_and_in_the_description(shipped: Schedule) -> None:
    feed = icaljs(fredagsprat_calendar(shipped, NOW, BASE_URL))
    for event in feed["events"]:
        assert event["url"].startswith("https://teams.microsoft.com/l/meetup-join/")
        assert f"Bli med i Teams-møtet: {event['url']}" in event["description"]
        assert event["location"] == "Microsoft Teams-møte"


def test_topic_in_summary_when_published_else_when_it_comes(shipped: Schedule) -> None:
    js = by_uid(icaljs(fredagsprat_calendar(shipped, NOW, BASE_URL)))
    with_topic = js["fredagsprat-fredagsprat-2026-11@rutinebot.example.no"]
    without = js["fredagsprat-fredagsprat-2027-01@rutinebot.example.no"]

    assert with_topic["summary"] == (
        "Fredagsprat med Statsforvalteren: Tilgjengelighet til sosiale tjenester"
    )
    assert without["summary"] == "Fredagsprat med Statsforvalteren"
    assert "Tema: legges ut fredag 15. januar 2027." in without["description"]


def test_calendar_level_properties(shipped: Schedule) -> None:
    calendar = Calendar.from_ical(fredagsprat_calendar(shipped, NOW, BASE_URL))

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Rutinebot//Timeplan//NB"
    assert calendar["X-WR-CALNAME"] == "Fredagsprat med Statsforvalteren"
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    assert calendar.get_missing_tzids() == set()
    for event in calendar.walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "LAST-MODIFIED"):
            assert name in event, name


# --- window, identity, change -----------------------------------------------------------------


def test_window_is_the_past_90_days_and_all_future_sessions() -> None:
    limit = NOW - timedelta(days=90)
    inside = make_session("inne", limit.date(), (limit + timedelta(minutes=1)).time(), time(23, 59))
    outside = make_session("ute", limit.date(), time(0, 0), (limit - timedelta(minutes=1)).time())
    future = make_session("fremtid", date(2030, 11, 29))
    schedule = Schedule(sessions=(outside, inside, future))

    uids = set(events(fredagsprat_calendar(schedule, NOW, BASE_URL)))

    assert uids == {f"fredagsprat-{s}@rutinebot.example.no" for s in ("inne", "fremtid")}


def test_shipped_window_drops_the_session_from_may(shipped: Schedule) -> None:
    uids = set(events(fredagsprat_calendar(shipped, NOW, BASE_URL)))
    assert "fredagsprat-fredagsprat-2026-05@rutinebot.example.no" not in uids
    assert "fredagsprat-fredagsprat-2026-08@rutinebot.example.no" in uids  # 87 days ago


def test_uids_are_unique_and_stable(shipped: Schedule) -> None:
    again, _ = load(SHIPPED_DIR)
    for feed in (
        lambda s: fredagsprat_calendar(s, NOW, BASE_URL),
        lambda s: deadlines_calendar(s, BASE_URL),
    ):
        body = feed(shipped)
        uids = [str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT")]
        assert len(uids) == len(set(uids))
        assert uids == [str(e["UID"]) for e in Calendar.from_ical(feed(again)).walk("VEVENT")]


def test_same_input_gives_the_same_bytes_whatever_the_clock() -> None:
    schedule, _ = load(SHIPPED_DIR)
    first = fredagsprat_calendar(schedule, NOW, BASE_URL)
    later = fredagsprat_calendar(schedule, NOW + timedelta(minutes=5), BASE_URL)

    assert first == later
    assert etag(first) == etag(later)
    assert deadlines_calendar(schedule, BASE_URL) == deadlines_calendar(
        load(SHIPPED_DIR)[0], BASE_URL
    )


def test_sequence_and_last_modified_change_only_for_the_changed_event(write_dir: WriteDir) -> None:
    before = "sessions:\n" + session_yaml("a", "2027-01-29") + session_yaml("b", "2027-02-26")
    edited = (
        "sessions:\n"
        + session_yaml(
            "a",
            "2027-01-29",
            status="moved",
            moved_to="{date: 2027-01-22}",
            revision="1",
            changed='"2026-11-22 14:30"',
        )
        + session_yaml("b", "2027-02-26")
    )
    old = fredagsprat_calendar(load(write_dir("v1", s__yaml=before))[0], NOW, BASE_URL)
    same = fredagsprat_calendar(load(write_dir("v1b", s__yaml=before))[0], NOW, BASE_URL)
    new = fredagsprat_calendar(load(write_dir("v2", s__yaml=edited))[0], NOW, BASE_URL)
    uid_a, uid_b = (f"fredagsprat-{x}@rutinebot.example.no" for x in "ab")

    assert old == same and etag(old) == etag(same)
    assert etag(old) != etag(new)
    a_old, a_new = events(old)[uid_a], events(new)[uid_a]
    assert (a_old["SEQUENCE"], a_new["SEQUENCE"]) == (0, 1)
    assert a_old.decoded("LAST-MODIFIED") == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert a_new.decoded("LAST-MODIFIED") == datetime(2026, 11, 22, 13, 30, tzinfo=UTC)
    assert a_new.decoded("DTSTART") == datetime(2027, 1, 22, 12, tzinfo=OSLO)
    assert events(old)[uid_b].to_ical() == events(new)[uid_b].to_ical()
    js = by_uid(icaljs(new))
    assert (js[uid_a]["sequence"], js[uid_a]["lastModified"]) == (1, "2026-11-22T13:30:00Z")
    assert (js[uid_b]["sequence"], js[uid_b]["lastModified"]) == (0, "2026-10-31T23:00:00Z")


def test_etag_is_strong_and_follows_the_body() -> None:
    tag = etag(b"BEGIN:VCALENDAR")
    assert re.fullmatch(r'"[0-9a-f]{40}"', tag)  # quoted, no W/ prefix
    assert etag(b"BEGIN:VCALENDAR") == tag
    assert etag(b"BEGIN:VCALENDAR ") != tag


def test_now_must_be_timezone_aware(shipped: Schedule) -> None:
    with pytest.raises(ValueError, match="aware"):
        fredagsprat_calendar(shipped, datetime(2026, 11, 23, 10, 0), BASE_URL)


# --- one session ------------------------------------------------------------------------------


def test_single_session_download(shipped: Schedule) -> None:
    body = session_calendar(shipped, "fredagsprat-2026-11", BASE_URL)
    feed = icaljs(body)

    assert [e["uid"] for e in feed["events"]] == [
        "fredagsprat-fredagsprat-2026-11@rutinebot.example.no"
    ]
    assert feed["events"][0]["start"]["utc"] == "2026-11-27T11:00:00.000Z"
    assert feed["name"] == "Fredagsprat med Statsforvalteren fre. 27.11.2026"
    # The same event as in the feed, so importing both gives one calendar entry.
    in_feed = events(fredagsprat_calendar(shipped, NOW, BASE_URL))
    uid = "fredagsprat-fredagsprat-2026-11@rutinebot.example.no"
    assert events(body)[uid].to_ical() == in_feed[uid].to_ical()
    with pytest.raises(KeyError):
        session_calendar(shipped, "finnes-ikke", BASE_URL)


# --- deadlines and the yearly cycle -----------------------------------------------------------


def test_deadlines_are_all_day_events_at_start_and_evaluation(shipped: Schedule) -> None:
    body = deadlines_calendar(shipped, BASE_URL)
    found = events(body)
    calendar = Calendar.from_ical(body)

    assert calendar["X-WR-CALNAME"] == "Frister og årshjul – sosiale tjenester"
    for deadline in shipped.deadlines:
        due = found[f"frist-{deadline.id}@rutinebot.example.no"]
        assert due.decoded("DTSTART") == deadline.evaluate_by
        assert due.decoded("DTEND") == deadline.evaluate_by + timedelta(days=1)
        assert due["TRANSP"] == "TRANSPARENT"
        assert deadline.responsible in due["DESCRIPTION"]
        start = found[f"iverksetting-{deadline.id}@rutinebot.example.no"]
        assert start.decoded("DTSTART") == deadline.start
    evaluated = found["frist-stl17-muntlige-soknader@rutinebot.example.no"]
    assert str(evaluated["SUMMARY"]).startswith("Evaluert: ")
    assert "Evaluert tirsdag 10. november 2026" in evaluated["DESCRIPTION"]
    js = by_uid(icaljs(body))
    assert js["frist-barn-ros-analyse@rutinebot.example.no"]["start"] == {"date": "2027-04-01"}


def _expected_starts(schedule: Schedule) -> dict[str, list]:
    return {
        f"arshjul-{item.id}@rutinebot.example.no": list(occurrences(item))
        for item in schedule.recurring
    }


def test_recurring_items_expand_the_same_in_recurring_ical_events(shipped: Schedule) -> None:
    calendar = Calendar.from_ical(deadlines_calendar(shipped, BASE_URL))
    found: dict[str, list] = {}
    for event in recurring_ical_events.of(calendar).between(date(2020, 1, 1), date(2040, 1, 1)):
        uid = str(event["UID"])
        if uid.startswith("arshjul-"):
            found.setdefault(uid, []).append(event.decoded("DTSTART"))
    expected = _expected_starts(shipped)

    assert found.keys() == expected.keys()
    for uid, starts in expected.items():
        assert sorted(found[uid]) == starts, uid
    meetings = expected["arshjul-barneperspektivet-kontormote@rutinebot.example.no"]
    assert [m.strftime("%Y-%m-%d %H:%M %z") for m in meetings] == [
        "2027-06-08 09:00 +0200",
        "2027-12-14 09:00 +0100",
        "2028-06-13 09:00 +0200",
        "2028-12-12 09:00 +0100",
    ]


def test_recurring_items_expand_the_same_in_icaljs(shipped: Schedule) -> None:
    js = by_uid(icaljs(deadlines_calendar(shipped, BASE_URL)))
    for uid, starts in _expected_starts(shipped).items():
        got = js[uid]["occurrences"]
        if isinstance(starts[0], datetime):
            assert [o["utc"] for o in got] == [
                s.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z") for s in starts
            ], uid
            assert {o["oslo"][11:] for o in got} == {starts[0].strftime("%H:%M:%S")}
        else:
            assert [o["date"] for o in got] == [s.isoformat() for s in starts], uid


def test_changing_one_deadline_changes_only_its_events(shipped: Schedule) -> None:
    target = shipped.deadlines[0]
    changed = dataclasses.replace(
        target, note="Ny merknad.", revision=2, changed=datetime(2026, 11, 22, 9, 0, tzinfo=OSLO)
    )
    other = dataclasses.replace(shipped, deadlines=(changed, *shipped.deadlines[1:]))
    old, new = (
        events(deadlines_calendar(shipped, BASE_URL)),
        events(deadlines_calendar(other, BASE_URL)),
    )

    differing = {uid for uid in old if old[uid].to_ical() != new[uid].to_ical()}
    assert differing == {
        f"frist-{target.id}@rutinebot.example.no",
        f"iverksetting-{target.id}@rutinebot.example.no",
    }
    for uid in differing:
        assert new[uid]["SEQUENCE"] == 2
        assert new[uid].decoded("LAST-MODIFIED") == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
