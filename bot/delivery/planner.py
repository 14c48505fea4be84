"""From the schedule's due moments and the subscriptions to outbox items: pure, no I/O.

What is planned (times are Europe/Oslo; every offset is a setting):

- ``fredagsprat`` subscribers: an optional invitation N days before a session, the topic on its
  publication day, and reminders before each session (the day before and 15 minutes before);
  nothing for a cancelled session;
- ``frister`` subscribers: reminders 14, 7 and 1 days before each open evaluation deadline at
  08:00 (also to the responsible person's personal chat when it is known), an overdue notice the
  day after a missed one, and the same reminders before each occurrence of the yearly cycle.

Each item's ``dedupe_key`` is ``kind|due key|variant|conversation``: the same reminder of the
same occurrence to the same conversation always gets the same key, so planning again (every
tick, after every restart, on every instance) never plans it twice. Only what falls due inside
the window (``now - grace`` .. ``now + horizon``) and after the subscription began is planned.

    items = plan_deliveries(due_moments(schedule), store.subscriptions(), now, settings)
    outbox.plan(items.items)
    outbox.withdraw(items.keys, PLANNED_KINDS, items.since, items.until)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.delivery.outbox import OutboxItem
from bot.store import Subscription
from schedule.model import OSLO, DeadlineStatus, Due, DueKind, SessionStatus

FREDAGSPRAT, FRISTER = "fredagsprat", "frister"

INVITATION = "invitation"
TOPIC = "topic"
SESSION_REMINDER = "session_reminder"
DEADLINE_REMINDER = "deadline_reminder"
DEADLINE_OVERDUE = "deadline_overdue"
RECURRING_REMINDER = "recurring_reminder"

#: ``PlannerSettings.invitation_days_before``: invite as soon as the session is in the schedule.
ADDED = "added"

#: The kinds the planner owns (a leader's broadcast is planned elsewhere and never withdrawn).
PLANNED_KINDS = frozenset(
    {INVITATION, TOPIC, SESSION_REMINDER, DEADLINE_REMINDER, DEADLINE_OVERDUE, RECURRING_REMINDER}
)


@dataclass(frozen=True)
class PlannerSettings:
    deadline_offsets_days: tuple[int, ...] = (14, 7, 1)
    deadline_time: time = time(8, 0)
    overdue_notice: bool = True
    recurring_offsets_days: tuple[int, ...] = (14, 7, 1)
    session_reminders: tuple[timedelta, ...] = (timedelta(days=1), timedelta(minutes=15))
    # The automatic invitation: None, only a leader's ``inviter`` invites; ADDED, as soon as a
    # session is in the schedule (and within the horizon); a number, that many days before.
    invitation_days_before: int | str | None = None
    post_time: time = time(9, 0)  # topics and automatic invitations
    grace: timedelta = timedelta(hours=6)
    horizon: timedelta = timedelta(days=60)


@dataclass(frozen=True)
class Plan:
    items: tuple[OutboxItem, ...]
    since: datetime  # the window planned: what falls due in [since, until]
    until: datetime
    keys: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", frozenset(item.dedupe_key for item in self.items))


def plan_deliveries(
    moments: Iterable[Due],
    subscriptions: Iterable[Subscription],
    now: datetime,
    settings: PlannerSettings = PlannerSettings(),
    personal: Mapping[str, str] | None = None,
) -> Plan:
    """Outbox items for ``moments`` (from :func:`schedule.due_moments`), sorted by time.

    ``personal`` maps a responsible person's Teams user id to the conversation id of the bot's
    personal chat with them, where one is known.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    since, until = now - settings.grace, now + settings.horizon
    by_topic: dict[str, list[Subscription]] = {FREDAGSPRAT: [], FRISTER: []}
    for sub in subscriptions:
        by_topic.setdefault(sub.topic, []).append(sub)
    personal = personal or {}
    items: list[OutboxItem] = []
    for due in moments:
        for kind, variant, at, extra_to, expires in _moments(due, settings, personal, now):
            if not since <= at <= until:
                continue
            payload = reminder_payload(due, variant)
            topic = FREDAGSPRAT if kind in (INVITATION, TOPIC, SESSION_REMINDER) else FRISTER
            targets = [s.conversation_id for s in by_topic.get(topic, ()) if s.since <= at]
            for conversation_id in dict.fromkeys(targets + extra_to):
                items.append(
                    OutboxItem(
                        dedupe_key=f"{kind}|{due.key}|{variant}|{conversation_id}",
                        conversation_id=conversation_id,
                        kind=kind,
                        item_id=due.item_id,
                        due_at=at,
                        payload=payload,
                        expires_at=expires,
                    )
                )
    items.sort(key=lambda i: (i.due_at, i.dedupe_key))
    return Plan(tuple(items), since, until)


def _moments(
    due: Due, settings: PlannerSettings, personal: Mapping[str, str], now: datetime
) -> list[tuple[str, str, datetime, list[str], datetime | None]]:
    """(kind, variant, when, extra conversations, expires) for one due moment.

    A reminder is pointless once its moment has come (``expires`` is the moment itself: a
    "starts in 15 minutes" sent after the start is noise); the overdue notice only has the grace.
    """
    match due.kind:
        case DueKind.SESSION if due.status != SessionStatus.CANCELLED:
            moments = [
                (SESSION_REMINDER, _span(offset), _ahead_of(due.at, offset), [], due.at)
                for offset in settings.session_reminders
            ]
            invite = settings.invitation_days_before
            if invite == ADDED and now < due.at <= now + settings.horizon:
                # Due now, every tick: the first tick that sees the session stores the row (its
                # key has no time), later ones find it there; a new subscriber gets it too.
                moments.append((INVITATION, "", now, [], due.at))
            elif isinstance(invite, int):
                day = due.day - timedelta(days=invite)
                moments.append((INVITATION, "", at_oslo(day, settings.post_time), [], due.at))
            return moments
        case DueKind.TOPIC if due.status != SessionStatus.CANCELLED:
            return [(TOPIC, "", at_oslo(due.day, settings.post_time), [], None)]
        case DueKind.EVALUATE if due.status == DeadlineStatus.OPEN:
            person = [personal[due.teams_user_id]] if due.teams_user_id in personal else []
            moments = [
                (DEADLINE_REMINDER, f"{days}d", _before(due.day, days, settings), person, due.at)
                for days in settings.deadline_offsets_days
            ]
            if settings.overdue_notice:
                moments.append((DEADLINE_OVERDUE, "", _before(due.day, -1, settings), [], None))
            return moments
        case DueKind.RECURRING:
            person = [personal[due.teams_user_id]] if due.teams_user_id in personal else []
            return [
                (RECURRING_REMINDER, f"{days}d", _before(due.day, days, settings), person, due.at)
                for days in settings.recurring_offsets_days
            ]
        case _:
            return []


def at_oslo(day: date, clock: time) -> datetime:
    """``clock`` on ``day``, Oslo time."""
    return datetime.combine(day, clock, OSLO)


def payload_moment(payload: Mapping[str, Any]) -> datetime | None:
    """The moment a planner payload's ``at`` names, in Oslo time (None: no ``at``, or not a
    time)."""
    try:
        return datetime.fromisoformat(str(payload["at"])).astimezone(OSLO)
    except (KeyError, ValueError):
        return None


def _before(day: date, days: int, settings: PlannerSettings) -> datetime:
    return at_oslo(day - timedelta(days=days), settings.deadline_time)


def _ahead_of(moment: datetime, offset: timedelta) -> datetime:
    """``offset`` before ``moment``: whole days by the calendar (the same time of day, also
    across a change of the clocks), anything shorter in elapsed time. (Arithmetic on an Oslo
    time goes by the wall clock: 15 minutes before 03:05 on the morning the clocks go forward
    would be 02:50, a time that does not exist, read as 01:50 UTC, after the session began.)"""
    if offset % timedelta(days=1):
        return (moment.astimezone(UTC) - offset).astimezone(OSLO)
    return moment - offset


def _span(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    return f"{minutes // 1440}d" if minutes % 1440 == 0 else f"{minutes}m"


def reminder_payload(due: Due, variant: str = "") -> dict[str, object]:
    """A snapshot for the sender and the report; the sender may re-read the item by id. Also
    what the card after «Markér som evaluert/utført» is drawn from (bot.features.closures.feature)."""
    return {
        "due_key": due.key,
        "due_kind": due.kind.value,
        "title": due.title,
        "at": due.at.isoformat(),
        "all_day": due.all_day,
        "status": due.status,
        "responsible": due.responsible,
        "url": due.url,
        "offset": variant,
        "detail": due.detail,
    }
