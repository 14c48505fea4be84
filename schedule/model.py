"""The schedule's data: Fredagsprat sessions, action-plan deadlines, recurring items, problems.

Plain frozen dataclasses; nothing here reads files or the clock. All times are local
Europe/Oslo times; aware datetimes carry ``OSLO`` as their tzinfo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

TZID = "Europe/Oslo"
OSLO = ZoneInfo(TZID)


@dataclass(frozen=True)
class Problem:
    """Something wrong in a schedule file, reported as ``file:line: message``.

    A warning does not stop the entry from loading; an error drops the entry (or the file).
    """

    path: Path
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "advarsel: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


@dataclass(frozen=True)
class Origin:
    """Where an entry was written: its file and the line of its first key."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class SessionStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    MOVED = "moved"


class DeadlineStatus(StrEnum):
    OPEN = "open"
    EVALUATED = "evaluated"


@dataclass(frozen=True)
class Slot:
    """A date with a start and end time, local to Europe/Oslo."""

    date: date
    start: time
    end: time

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start, OSLO)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.end, OSLO)


@dataclass(frozen=True)
class Session:
    """One Fredagsprat session.

    ``slot`` is the originally announced time; a moved session takes place at ``moved_to``.
    ``revision`` becomes the calendar's SEQUENCE and ``changed`` its LAST-MODIFIED.
    """

    id: str
    slot: Slot
    title: str
    topic: str
    topic_published: date | None
    join_url: str
    organiser: str
    status: SessionStatus
    moved_to: Slot | None
    note: str
    revision: int
    changed: datetime
    origin: Origin

    @property
    def when(self) -> Slot:
        """The slot the session actually takes place in (the new one if it was moved)."""
        return self.moved_to if self.moved_to is not None else self.slot

    @property
    def headline(self) -> str:
        """``Fredagsprat: <topic>``, or the title alone while there is no topic."""
        return f"{self.title}: {self.topic}" if self.topic else self.title

    @property
    def starts_at(self) -> datetime:
        return self.when.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.when.ends_at


@dataclass(frozen=True)
class Deadline:
    """One measure (tiltak) of the action plan after a supervision, with its evaluation deadline."""

    id: str
    title: str
    source: str
    breach: str
    measure: str
    responsible: str
    teams_user_id: str | None
    start: date
    evaluate_by: date
    status: DeadlineStatus
    evaluated_on: date | None
    note: str
    revision: int
    changed: datetime
    origin: Origin


@dataclass(frozen=True)
class RecurringItem:
    """A recurring item of the office's yearly cycle (årshjul), written as an RFC 5545 RRULE.

    ``dtstart`` is a date for an all-day item, else an aware Oslo datetime. ``rrule`` is the
    normalised rule (always finite: COUNT or UNTIL, UNTIL as a DATE for all-day items and in
    UTC for timed ones), ready to be written into a calendar as it is.
    """

    id: str
    title: str
    description: str
    responsible: str
    teams_user_id: str | None
    rrule: str
    dtstart: date | datetime
    duration: timedelta
    revision: int
    changed: datetime
    origin: Origin

    @property
    def all_day(self) -> bool:
        return not isinstance(self.dtstart, datetime)


@dataclass(frozen=True)
class Schedule:
    """Everything loaded from one schedule directory.

    ``fingerprint`` is a hash of the YAML files' names and bytes: equal fingerprints mean
    equal input.
    """

    sessions: tuple[Session, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    recurring: tuple[RecurringItem, ...] = ()
    fingerprint: str = ""

    def session(self, session_id: str) -> Session | None:
        return next((s for s in self.sessions if s.id == session_id), None)

    def deadline(self, deadline_id: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.id == deadline_id), None)


class DueKind(StrEnum):
    SESSION = "session"  # a Fredagsprat session starts
    TOPIC = "topic"  # a session's topic is (to be) published
    START = "start"  # a measure is to be put in place (iverksetting)
    EVALUATE = "evaluate"  # a measure's evaluation deadline
    RECURRING = "recurring"  # an occurrence of a yearly-cycle item


@dataclass(frozen=True)
class Due:
    """A moment something is due: what the reminder machinery acts on.

    ``at`` is an aware Oslo datetime; for all-day moments (``all_day``) it is midnight Oslo
    time on that date. ``key`` is stable for the same item and moment, so a sender can
    remember what it has already sent. ``status`` is the item's status (``planned``,
    ``cancelled``, ``moved``, ``open``, ``evaluated``, or ``""`` for recurring items).
    """

    key: str
    kind: DueKind
    item_id: str
    title: str
    at: datetime
    all_day: bool
    status: str
    responsible: str
    teams_user_id: str | None
    url: str
    detail: str = ""  # what is to be done: a measure, a yearly-cycle item's description

    @property
    def day(self) -> date:
        return self.at.date()


DAY = timedelta(days=1)
