"""What is due when: session starts, topic publications, start and evaluation dates, and the
occurrences of the yearly cycle, as plain ``Due`` records for the CLI and the reminder machinery.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from schedule import norsk
from schedule.model import (
    OSLO,
    Deadline,
    DeadlineStatus,
    Due,
    DueKind,
    RecurringItem,
    Schedule,
    Session,
    SessionStatus,
)
from schedule.recurrence import occurrences


def due_moments(schedule: Schedule) -> tuple[Due, ...]:
    """Every due moment of the schedule (past ones too), in time order."""
    moments: list[Due] = []
    for session in schedule.sessions:
        moments.extend(_session_moments(session))
    for deadline in schedule.deadlines:
        moments.extend(_deadline_moments(deadline))
    for item in schedule.recurring:
        moments.extend(_recurring_moments(item))
    return tuple(sorted(moments, key=lambda d: (d.at, d.kind != DueKind.SESSION, d.key)))


def upcoming(schedule: Schedule, now: datetime, days: int = 14) -> tuple[Due, ...]:
    """What is due from ``now`` through ``days`` days ahead (all-day items from today on)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    end = now + timedelta(days=days)
    first_day, last_day = now.astimezone(OSLO).date(), end.astimezone(OSLO).date()
    return tuple(
        due
        for due in due_moments(schedule)
        if (first_day <= due.day <= last_day if due.all_day else now <= due.at <= end)
    )


def overdue(schedule: Schedule, now: datetime) -> tuple[Due, ...]:
    """Evaluation deadlines that have passed without the measure being evaluated."""
    today = now.astimezone(OSLO).date()
    return tuple(
        due
        for due in due_moments(schedule)
        if due.kind == DueKind.EVALUATE and due.status == DeadlineStatus.OPEN and due.day < today
    )


def describe(due: Due) -> str:
    """One Norwegian line for a due moment (without its date)."""
    who = f" (ansvarlig: {due.responsible})" if due.responsible else ""
    match due.kind:
        case DueKind.SESSION:
            suffix = {"cancelled": " – AVLYST", "moved": " – flyttet"}.get(due.status, "")
            return f"{due.title}{suffix}"
        case DueKind.TOPIC:
            return f"Tema legges ut: {due.title}"
        case DueKind.START:
            return f"Iverksetting: {due.title}{who}"
        case DueKind.EVALUATE:
            label = "Evaluert" if due.status == DeadlineStatus.EVALUATED else "Evalueringsfrist"
            return f"{label}: {due.title}{who}"
        case _:
            return f"Årshjul: {due.title}{who}"


def format_line(due: Due) -> str:
    """``fre. 27.11.2026 12:00  Fredagsprat …`` (five blanks instead of a time for all-day)."""
    when = " " * 5 if due.all_day else norsk.clock(due.at)
    return f"{norsk.short_date(due.day)} {when}  {describe(due)}"


def _due(kind: DueKind, item_id: str, at: date | datetime, **fields: object) -> Due:
    all_day = not isinstance(at, datetime)
    moment = datetime.combine(at, time(0), OSLO) if all_day else at
    key = f"{kind.value}:{item_id}:{moment.isoformat()}"
    values = dict(status="", responsible="", teams_user_id=None, url="") | fields
    return Due(key=key, kind=kind, item_id=item_id, at=moment, all_day=all_day, **values)


def _session_moments(session: Session) -> list[Due]:
    common = dict(status=session.status.value, responsible=session.organiser, url=session.join_url)
    moments = [
        _due(DueKind.SESSION, session.id, session.starts_at, title=session.headline, **common)
    ]
    if session.topic_published and session.status != SessionStatus.CANCELLED:
        label = f"{session.title} {norsk.long_date(session.when.date)}"
        if session.topic:
            label += f" – {session.topic}"
        moments.append(
            _due(DueKind.TOPIC, session.id, session.topic_published, title=label, **common)
        )
    return moments


def _deadline_moments(deadline: Deadline) -> list[Due]:
    common = dict(
        title=deadline.title,
        detail=deadline.measure,
        status=deadline.status.value,
        responsible=deadline.responsible,
        teams_user_id=deadline.teams_user_id,
    )
    return [
        _due(DueKind.START, deadline.id, deadline.start, **common),
        _due(DueKind.EVALUATE, deadline.id, deadline.evaluate_by, **common),
    ]


def _recurring_moments(item: RecurringItem) -> list[Due]:
    return [
        _due(
            DueKind.RECURRING,
            item.id,
            start,
            title=item.title,
            detail=item.description,
            responsible=item.responsible,
            teams_user_id=item.teams_user_id,
        )
        for start in occurrences(item)
    ]


def upcoming_sessions(schedule: Schedule, now: datetime) -> list[Session]:
    """Sessions not ended and not cancelled (a moved one at its new time), earliest first."""
    return sorted(
        (s for s in schedule.sessions if s.status != SessionStatus.CANCELLED and s.ends_at > now),
        key=lambda s: s.starts_at,
    )


def next_session(schedule: Schedule, now: datetime) -> Session | None:
    """The next Fredagsprat that has not ended and is not cancelled (a moved one at its new time)."""
    return next(iter(upcoming_sessions(schedule, now)), None)
