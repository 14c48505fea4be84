"""Notices when a Fredagsprat session is cancelled or moved (issue 6).

A conversation subscribed to ``fredagsprat`` hears about a change to a session the bot had
already planned or sent something for to that conversation (its reminders are planned up to
60 days ahead, so that is every session inside the planning window): what the bot had is the
outbox's own history, the ``at`` of the latest reminder, invitation or move notice for that
session and conversation. So there is no extra table, and a change is noticed also when it was
written while the bot was down.

- cancelled (``status: cancelled``), and the session had not begun: «Fredagsprat <dato> er
  avlyst», key ``session_cancelled|session:<id>:<start>||<conversation>``: once;
- moved (its start differs from the latest one the conversation had, whether by ``moved_to``
  or an edited ``date``/``start``), and the new start is ahead: «… er flyttet til …», key
  ``session_moved|session:<id>:<new start>|r<revision>|<conversation>``: a second move (a new
  start, or the same start at a new revision) notifies again, the same schedule never twice.

Every key is unique in the outbox, so several instances planning at once store one row. The
reminders planned for the old time are withdrawn by the ordinary planner (their keys carry the
start time). :class:`SessionNoticeSource` runs before that planner in each tick, while the old
rows are still the latest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from bot.delivery.outbox import Delivery, Outbox, OutboxItem
from bot.delivery.planner import FREDAGSPRAT, INVITATION, SESSION_REMINDER
from bot.store import Store, Subscription
from schedule import norsk
from schedule.model import OSLO, Schedule, Session, SessionStatus

SESSION_CANCELLED = "session_cancelled"
SESSION_MOVED = "session_moved"
#: Rows whose ``at`` is a time the conversation had for the session.
ANNOUNCING = (SESSION_REMINDER, INVITATION, SESSION_MOVED)


def plan_session_notices(
    sessions: Iterable[Session],
    history: Iterable[Delivery],
    subscriptions: Iterable[Subscription],
    now: datetime,
) -> list[OutboxItem]:
    """Notices for the sessions that changed since ``history`` (outbox rows of ANNOUNCING
    kinds) was planned, to the current ``fredagsprat`` subscribers."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    subscribers = {s.conversation_id for s in subscriptions if s.topic == FREDAGSPRAT}
    latest: dict[tuple[str, str], datetime] = {}
    for row in sorted(history, key=lambda d: d.id):
        at = _parse(row.payload.get("at"))
        if at is not None and row.kind in ANNOUNCING:
            latest[(row.conversation_id, row.item_id)] = at
    by_id = {s.id: s for s in sessions}
    items: list[OutboxItem] = []
    for (conversation, session_id), had in sorted(latest.items()):
        session = by_id.get(session_id)
        if session is None or conversation not in subscribers:
            continue
        if session.status == SessionStatus.CANCELLED:
            if had > now:
                items.append(_cancelled(session, had, conversation, now))
        elif not _same_moment(session.starts_at, had) and session.starts_at > now:
            items.append(_moved(session, had, conversation, now))
    return items


def _cancelled(session: Session, had: datetime, conversation: str, now: datetime) -> OutboxItem:
    day = norsk.long_date(had.astimezone(OSLO).date())
    text = f"Fredagsprat {day} er avlyst."
    if session.note:
        text += f" {session.note}"
    return OutboxItem(
        dedupe_key=f"{SESSION_CANCELLED}|session:{session.id}:{had.isoformat()}||{conversation}",
        conversation_id=conversation,
        kind=SESSION_CANCELLED,
        item_id=session.id,
        due_at=now,
        payload={"text": text, "title": session.title, "at": had.isoformat()},
        expires_at=had,
    )


def _moved(session: Session, had: datetime, conversation: str, now: datetime) -> OutboxItem:
    old = norsk.long_date(had.astimezone(OSLO).date())
    when = session.when
    new = f"{norsk.long_date(when.date)} kl. {norsk.time_range(when.start, when.end)}"
    text = f"Fredagsprat {old} er flyttet til {new}."
    if session.note:
        text += f" {session.note}"
    text += f"\n\n{session.join_url}"
    start = session.starts_at.isoformat()
    return OutboxItem(
        dedupe_key=(
            f"{SESSION_MOVED}|session:{session.id}:{start}|r{session.revision}|{conversation}"
        ),
        conversation_id=conversation,
        kind=SESSION_MOVED,
        item_id=session.id,
        due_at=now,
        payload={"text": text, "title": session.title, "at": start, "was": had.isoformat()},
        expires_at=session.starts_at,
    )


def _same_moment(a: datetime, b: datetime) -> bool:
    """Compared in UTC: ``==`` between an Oslo time and a stored one with a fixed offset is
    always False when the Oslo time is in the hour the clocks repeat or skip (PEP 495), which
    would announce a session at such a time as moved."""
    return a.astimezone(UTC) == b.astimezone(UTC)


def _parse(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class SessionNoticeSource:
    """Plans the notices each tick (blocking; the worker runs it in a thread, before the
    ordinary planner)."""

    def __init__(self, store: Store):
        self.store = store

    def __call__(self, outbox: Outbox, schedule: Schedule | None, now: datetime) -> tuple[int, int]:
        if schedule is None:
            return 0, 0
        ahead: Sequence[Session] = [
            s for s in schedule.sessions if max(s.slot.starts_at, s.starts_at) > now
        ]
        if not ahead:
            return 0, 0
        history = outbox.find(ANNOUNCING, [s.id for s in ahead])
        items = plan_session_notices(ahead, history, self.store.subscriptions(), now)
        return outbox.plan(items), 0
