"""Calendar feeds (RFC 5545) built with the ``icalendar`` package.

Every function returns the same bytes for the same schedule (and ``now``), so ``etag`` of the
body is a strong validator and clients polling every few minutes can get ``304``:

- UIDs are ``<kind>-<id>@<host of base_url>``: stable as long as the id and the public host are.
- SEQUENCE is the entry's ``revision`` and LAST-MODIFIED (and DTSTAMP) its ``changed`` time,
  both written by the editor in the YAML; nothing here reads the clock.
- Times carry ``TZID=Europe/Oslo`` with a VTIMEZONE, so a 12:00 meeting stays at 12:00 across
  the summer-time switches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone
from icalendar.prop import vRecur

from schedule import norsk
from schedule.model import (
    DAY,
    Deadline,
    DeadlineStatus,
    RecurringItem,
    Schedule,
    Session,
    SessionStatus,
)

#: How far back the Fredagsprat feed reaches.
PAST_WINDOW = timedelta(days=90)
FREDAGSPRAT_NAME = "Fredagsprat med Statsforvalteren"
DEADLINES_NAME = "Frister og årshjul – sosiale tjenester"
PRODID = "-//Rutinebot//Timeplan//NB"

# Europe/Oslo as calendar programs define it (the form Thunderbird and Outlook use): the EU
# rule, summer time from the last Sunday of March 02:00 to the last Sunday of October 03:00.
# tests/test_schedule_ics.py checks it hour by hour against the tz database (zoneinfo).
VTIMEZONE_OSLO = """BEGIN:VTIMEZONE
TZID:Europe/Oslo
X-LIC-LOCATION:Europe/Oslo
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def fredagsprat_calendar(schedule: Schedule, now: datetime, base_url: str) -> bytes:
    """Every session that starts at most 90 days before ``now``, and all future ones.

    Cancelled sessions stay in the feed with STATUS:CANCELLED; moved ones are at the new time.
    """
    sessions = fredagsprat_sessions(schedule, now)
    description = (
        "Månedlig Teams-samling for Nav-kontorene med Statsforvalteren, "
        "fredager kl. 12:00–13:00. Tema legges ut 1–2 uker før."
    )
    events = (_session_event(s, base_url) for s in sessions)
    return _calendar(FREDAGSPRAT_NAME, description, events).to_ical()


def fredagsprat_sessions(schedule: Schedule, now: datetime) -> list[Session]:
    """The sessions in the Fredagsprat feed at ``now``: those starting at most 90 days before."""
    _require_aware(now)
    since = now - PAST_WINDOW
    return [s for s in schedule.sessions if s.starts_at >= since]


def session_calendar(schedule: Schedule, session_id: str, base_url: str) -> bytes:
    """One session as its own calendar ("Legg til i kalender"). ``KeyError`` if unknown."""
    session = schedule.session(session_id)
    if session is None:
        raise KeyError(session_id)
    title = f"{FREDAGSPRAT_NAME} {norsk.short_date(session.when.date)}"
    return _calendar(title, "", [_session_event(session, base_url)]).to_ical()


def deadlines_calendar(schedule: Schedule, base_url: str) -> bytes:
    """The action plan's start dates and evaluation deadlines, and the yearly cycle (RRULEs)."""
    events: list[Event] = []
    for deadline in schedule.deadlines:
        events.extend(_deadline_events(deadline, base_url))
    events.extend(_recurring_event(item, base_url) for item in schedule.recurring)
    description = "Tiltaksplan etter tilsyn og årshjul for internkontroll."
    return _calendar(DEADLINES_NAME, description, events).to_ical()


def etag(body: bytes) -> str:
    """A strong HTTP ETag for a feed body: equal bodies, equal tags."""
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def uid(kind: str, entry_id: str, base_url: str) -> str:
    """The UID of an entry's event; ``kind`` is ``fredagsprat``, ``frist``, ``iverksetting`` …"""
    host = urlsplit(base_url).hostname or "rutinebot"
    return f"{kind}-{entry_id}@{host}"


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def _calendar(name: str, description: str, events: Iterable[Event]) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if description:
        cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", "Europe/Oslo")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    cal.add_component(Timezone.from_ical(VTIMEZONE_OSLO))
    for event in events:
        cal.add_component(event)
    return cal


def _stamp(event: Event, revision: int, changed: datetime) -> None:
    changed_utc = changed.astimezone(UTC)
    event.add("dtstamp", changed_utc)
    event.add("last-modified", changed_utc)
    event.add("sequence", revision)


def _session_event(session: Session, base_url: str) -> Event:
    event = Event()
    event.add("uid", uid("fredagsprat", session.id, base_url))
    _stamp(event, session.revision, session.changed)
    cancelled = session.status == SessionStatus.CANCELLED
    event.add("summary", f"AVLYST: {session.headline}" if cancelled else session.headline)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("location", "Microsoft Teams-møte")
    event.add("url", session.join_url)
    event.add("categories", ["Fredagsprat"])
    event.add("description", session_description(session, base_url))
    return event


def session_description(session: Session, base_url: str) -> str:
    """The event text: topic, changes, organiser, the join link and where to see all sessions."""
    lines: list[str] = []
    if session.status == SessionStatus.CANCELLED:
        lines.append("Samlingen er avlyst.")
    if session.status == SessionStatus.MOVED:
        old = session.slot
        lines.append(
            f"Flyttet fra {norsk.long_date(old.date)} kl. {norsk.time_range(old.start, old.end)}."
        )
    if session.topic:
        lines.append(f"Tema: {session.topic}")
    elif session.topic_published:
        lines.append(f"Tema: legges ut {norsk.long_date(session.topic_published)}.")
    else:
        lines.append("Tema: legges ut 1–2 uker før.")
    if session.note:
        lines.append(session.note)
    lines.append(f"Arrangør: {session.organiser}")
    lines.append(f"Bli med i Teams-møtet: {session.join_url}")
    lines.append("Invitasjonen går til lederne, som deler den videre.")
    lines.append(f"Alle samlinger: {base_url.rstrip('/')}/")
    return "\n".join(lines)


def _deadline_events(deadline: Deadline, base_url: str) -> list[Event]:
    text = deadline_description(deadline)
    evaluated = deadline.status == DeadlineStatus.EVALUATED
    moments = [("frist", "Evaluert" if evaluated else "Evalueringsfrist", deadline.evaluate_by)]
    if deadline.start != deadline.evaluate_by:
        moments.insert(0, ("iverksetting", "Iverksetting", deadline.start))
    events = []
    for kind, label, day in moments:
        event = Event()
        event.add("uid", uid(kind, deadline.id, base_url))
        _stamp(event, deadline.revision, deadline.changed)
        event.add("summary", f"{label}: {deadline.title}")
        _all_day(event, day, DAY)
        event.add("categories", ["Tiltaksplan"])
        event.add("description", text)
        events.append(event)
    return events


def deadline_description(deadline: Deadline) -> str:
    """Breach, measure, dates, who is responsible, status."""
    if deadline.status == DeadlineStatus.EVALUATED and deadline.evaluated_on:
        status = f"Evaluert {norsk.long_date(deadline.evaluated_on)}"
        status += f": {deadline.note}" if deadline.note else "."
    else:
        status = "Åpen" + (f" – {deadline.note}" if deadline.note else "")
    lines = [
        f"Lovbrudd: {deadline.breach}",
        f"Tiltak: {deadline.measure}",
        f"Iverksetting: {norsk.long_date(deadline.start)}",
        f"Frist for evaluering: {norsk.long_date(deadline.evaluate_by)}",
        f"Ansvarlig: {deadline.responsible}",
        f"Status: {status}",
    ]
    if deadline.source:
        lines.append(f"Kilde: {deadline.source}")
    return "\n\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:])


def _recurring_event(item: RecurringItem, base_url: str) -> Event:
    event = Event()
    event.add("uid", uid("arshjul", item.id, base_url))
    _stamp(event, item.revision, item.changed)
    event.add("summary", item.title)
    if item.all_day:
        _all_day(event, item.dtstart, item.duration)
    else:
        event.add("dtstart", item.dtstart)
        event.add("dtend", item.dtstart + item.duration)
    event.add("rrule", vRecur.from_ical(item.rrule))
    event.add("categories", ["Årshjul"])
    lines = [item.description] if item.description else []
    lines.append(f"Ansvarlig: {item.responsible}")
    lines.append("Fast oppgave i årshjulet for internkontroll.")
    event.add("description", "\n".join(lines))
    return event


def _all_day(event: Event, day: date, duration: timedelta) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + duration)
    event.add("transp", "TRANSPARENT")
