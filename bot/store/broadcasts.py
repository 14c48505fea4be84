"""Leader broadcasts of a Fredagsprat invitation, the answers to them, and their delivery report.

A broadcast is a row in ``broadcasts``; its deliveries are outbox rows with
``item_id = "broadcast:<id>"`` (see :func:`item_id`). The answers ("Jeg kommer" / "Kan ikke") are
kept per session and person in ``rsvps``, the latest answer winning, so a person invited twice
(two broadcasts, or a broadcast and an automatic invitation) is counted once.

SQLAlchemy Core only (SQLite and PostgreSQL). Blocking: call from a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.clock import as_utc, utcnow
from bot.store.schema import RSVP_ANSWERS, broadcasts, outbox, rsvps

YES, NO = RSVP_ANSWERS
KIND = "broadcast"  # the outbox kind of a broadcast's deliveries
MAX_NOTE = 500
_WAITING = ("planned", "sending")
_FAILED = ("failed", "expired", "cancelled")


def item_id(broadcast_id: int) -> str:
    """The outbox ``item_id`` of a broadcast's deliveries."""
    return f"{KIND}:{broadcast_id}"


def dedupe_key(broadcast_id: int, conversation_id: str) -> str:
    """One delivery per (broadcast, conversation)."""
    return f"{KIND}|{broadcast_id}|{conversation_id}"


@dataclass(frozen=True)
class Broadcast:
    id: int
    session_id: str
    sent_by: str
    note: str
    report_conversation_id: str | None
    report_activity_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class Failure:
    conversation_id: str
    status: str  # failed, expired or cancelled
    error: str


@dataclass(frozen=True)
class Report:
    """What the leader's report card shows: deliveries by outcome, and the answers so far."""

    planned: int
    delivered: int
    failed: int
    waiting: int
    failures: tuple[Failure, ...]
    coming: int
    not_coming: int


class Broadcasts:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self._clock = clock

    # -- broadcasts ---------------------------------------------------------------------------

    def create(
        self,
        session_id: str,
        sent_by: str,
        note: str = "",
        report_conversation_id: str | None = None,
        report_activity_id: str | None = None,
    ) -> Broadcast:
        """A new broadcast; its report card is at (conversation, activity) when given."""
        now = self._clock()
        values = dict(
            session_id=session_id[:200],
            sent_by=sent_by[:128],
            note=note[:MAX_NOTE],
            report_conversation_id=report_conversation_id,
            report_activity_id=(report_activity_id or None) and report_activity_id[:256],
            created_at=now,
            updated_at=now,
        )
        with self.engine.begin() as conn:
            row = conn.execute(insert(broadcasts).values(**values).returning(*broadcasts.c)).one()
        return _broadcast(row)

    def get(self, broadcast_id: int) -> Broadcast | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(broadcasts).where(broadcasts.c.id == broadcast_id)).first()
        return _broadcast(row) if row else None

    def by_report(self, conversation_id: str, activity_id: str) -> Broadcast | None:
        """The broadcast whose report card is that message (a form submitted twice)."""
        if not activity_id:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(broadcasts).where(
                    broadcasts.c.report_conversation_id == conversation_id,
                    broadcasts.c.report_activity_id == activity_id,
                )
            ).first()
        return _broadcast(row) if row else None

    def for_session(self, session_id: str) -> list[Broadcast]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(broadcasts)
                .where(broadcasts.c.session_id == session_id)
                .order_by(broadcasts.c.id)
            ).all()
        return [_broadcast(row) for row in rows]

    # -- answers ------------------------------------------------------------------------------

    def answer(self, session_id: str, user_id: str, answer: str) -> None:
        """Record ``user_id``'s answer for the session; a later answer replaces an earlier."""
        if answer not in RSVP_ANSWERS:
            raise ValueError(f"answer must be one of {RSVP_ANSWERS}")
        now = self._clock()
        key = (rsvps.c.session_id == session_id[:200], rsvps.c.user_id == user_id[:128])
        for _ in range(2):  # an insert racing ours makes the second round an update
            with self.engine.begin() as conn:
                changed = conn.execute(
                    update(rsvps).where(*key).values(answer=answer, updated_at=now)
                ).rowcount
                if changed:
                    return
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        insert(rsvps).values(
                            session_id=session_id[:200],
                            user_id=user_id[:128],
                            answer=answer,
                            updated_at=now,
                        )
                    )
                return
            except IntegrityError:
                continue

    def answer_of(self, session_id: str, user_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(rsvps.c.answer).where(
                    rsvps.c.session_id == session_id, rsvps.c.user_id == user_id
                )
            ).scalar()

    def answers(self, session_id: str) -> dict[str, int]:
        """``{"yes": n, "no": m}`` for the session."""
        counts = dict.fromkeys(RSVP_ANSWERS, 0)
        with self.engine.connect() as conn:
            for answer, n in conn.execute(
                select(rsvps.c.answer, func.count())
                .where(rsvps.c.session_id == session_id)
                .group_by(rsvps.c.answer)
            ):
                counts[answer] = n
        return counts

    # -- the report ---------------------------------------------------------------------------

    def report(self, broadcast: Broadcast, failures: int = 5) -> Report:
        """Deliveries of ``broadcast`` by outcome (from the outbox) and the session's answers."""
        deliveries = (outbox.c.kind == KIND, outbox.c.item_id == item_id(broadcast.id))
        with self.engine.connect() as conn:
            counts = dict(
                conn.execute(
                    select(outbox.c.status, func.count())
                    .where(*deliveries)
                    .group_by(outbox.c.status)
                ).all()
            )
            failed_rows = conn.execute(
                select(outbox.c.conversation_id, outbox.c.status, outbox.c.last_error)
                .where(*deliveries, outbox.c.status.in_(_FAILED))
                .order_by(outbox.c.id)
                .limit(failures)
            ).all()
        answers = self.answers(broadcast.session_id)
        return Report(
            planned=sum(counts.values()),
            delivered=counts.get("sent", 0),
            failed=sum(counts.get(s, 0) for s in _FAILED),
            waiting=sum(counts.get(s, 0) for s in _WAITING),
            failures=tuple(
                Failure(r.conversation_id, r.status, r.last_error or "") for r in failed_rows
            ),
            coming=answers[YES],
            not_coming=answers[NO],
        )


def _broadcast(row) -> Broadcast:
    return Broadcast(
        id=row.id,
        session_id=row.session_id,
        sent_by=row.sent_by,
        note=row.note or "",
        report_conversation_id=row.report_conversation_id,
        report_activity_id=row.report_activity_id,
        created_at=as_utc(row.created_at),
    )
