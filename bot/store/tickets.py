"""Expert tickets ("Spør en fagperson"): a question passed on to the experts, taken by one of
them and answered. All state is in the ``tickets`` table, so a ticket survives restarts.

Taking and answering are single conditional ``UPDATE``s: the first expert to press "Jeg tar den"
wins (``status='open'`` in the ``WHERE``), and only the one who took a ticket can answer it
(``taken_by`` in the ``WHERE``). Text is stripped of identity numbers here as well, whoever
called. Blocking (SQLAlchemy Core): call from a thread. Times are UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, insert, select, update

from bot import pii
from bot.clock import as_utc, utcnow
from bot.store.schema import TICKET_STATUSES, join_ids, split_ids
from bot.store.schema import tickets as table

OPEN, TAKEN, ANSWERED = TICKET_STATUSES
MAX_QUESTION = 1000
MAX_ANSWER = 4000


@dataclass(frozen=True)
class Ticket:
    id: int
    question: str
    closest: tuple[str, ...]
    asker_id: str
    asker_conversation_id: str
    asker_activity_id: str | None
    status: str
    taken_by: str | None
    taken_by_name: str | None
    answer: str | None
    for_handbook: bool
    expert_conversation_id: str | None
    card_activity_id: str | None
    created_at: datetime
    updated_at: datetime
    answered_at: datetime | None


@dataclass(frozen=True)
class Outcome:
    """What a take or an answer did: ``ok`` is False when the ticket was not in the state the
    caller needed (``ticket`` is then how it is now; None if there is no such ticket)."""

    ok: bool
    ticket: Ticket | None


def clean(text: str, limit: int) -> str:
    """``text`` with identity numbers removed, trimmed, at most ``limit`` characters."""
    return pii.redact(text[: limit * 2]).text.strip()[:limit]


class Tickets:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self._clock = clock

    def create(
        self,
        question: str,
        closest: tuple[str, ...],
        asker_id: str,
        asker_conversation_id: str,
        asker_activity_id: str | None = None,
    ) -> Ticket:
        now = self._clock()
        with self.engine.begin() as conn:
            row = conn.execute(
                insert(table)
                .values(
                    question=clean(question, MAX_QUESTION),
                    closest=join_ids(closest),
                    asker_id=asker_id[:128],
                    asker_conversation_id=asker_conversation_id,
                    asker_activity_id=(asker_activity_id or None) and asker_activity_id[:256],
                    status=OPEN,
                    for_handbook=False,
                    created_at=now,
                    updated_at=now,
                )
                .returning(*table.c)
            ).one()
        return _ticket(row)

    def get(self, ticket_id: int) -> Ticket | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.id == ticket_id)).first()
        return _ticket(row) if row else None

    def pending_for(
        self, asker_id: str, asker_conversation_id: str, question: str
    ) -> Ticket | None:
        """The asker's unanswered ticket with this question, if they already asked."""
        query = select(table).where(
            table.c.asker_id == asker_id,
            table.c.asker_conversation_id == asker_conversation_id,
            table.c.question == clean(question, MAX_QUESTION),
            table.c.status != ANSWERED,
        )
        with self.engine.connect() as conn:
            row = conn.execute(query.order_by(table.c.id).limit(1)).first()
        return _ticket(row) if row else None

    def posted(self, ticket_id: int, expert_conversation_id: str) -> None:
        """The ticket's card is planned for ``expert_conversation_id``."""
        self._set(ticket_id, expert_conversation_id=expert_conversation_id)

    def card_shown(self, ticket_id: int, activity_id: str) -> None:
        """Remember the ticket card's message id (seen on the first button press)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.id == ticket_id, table.c.card_activity_id.is_(None))
                .values(card_activity_id=activity_id[:256])
            )

    def unposted(self) -> list[Ticket]:
        """Open tickets whose card went nowhere (no expert conversation was chosen)."""
        query = select(table).where(
            table.c.status == OPEN, table.c.expert_conversation_id.is_(None)
        )
        with self.engine.connect() as conn:
            return [_ticket(row) for row in conn.execute(query.order_by(table.c.id))]

    def take(self, ticket_id: int, user_id: str, user_name: str) -> Outcome:
        """Mark the ticket taken by ``user_id``; the first one wins. Taking one's own again is ok."""
        with self.engine.begin() as conn:
            won = conn.execute(
                update(table)
                .where(table.c.id == ticket_id, table.c.status == OPEN)
                .values(
                    status=TAKEN,
                    taken_by=user_id[:128],
                    taken_by_name=user_name[:200],
                    updated_at=self._clock(),
                )
            ).rowcount
        ticket = self.get(ticket_id)
        ok = bool(won) or (
            ticket is not None and ticket.status == TAKEN and ticket.taken_by == user_id
        )
        return Outcome(ok, ticket)

    def answer(self, ticket_id: int, user_id: str, answer: str, for_handbook: bool) -> Outcome:
        """Store the answer; only the one who took the ticket can, and only once."""
        now = self._clock()
        with self.engine.begin() as conn:
            done = conn.execute(
                update(table)
                .where(
                    and_(table.c.id == ticket_id, table.c.status == TAKEN),
                    table.c.taken_by == user_id,
                )
                .values(
                    status=ANSWERED,
                    answer=clean(answer, MAX_ANSWER),
                    for_handbook=for_handbook,
                    answered_at=now,
                    updated_at=now,
                )
            ).rowcount
        return Outcome(bool(done), self.get(ticket_id))

    def all(self, limit: int = 100) -> list[Ticket]:
        """The newest tickets first."""
        query = select(table).order_by(table.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [_ticket(row) for row in conn.execute(query)]

    def for_handbook(self, since: datetime, until: datetime) -> list[Ticket]:
        """Answers marked "bør inn i håndboka", answered in ``[since, until)``, oldest first."""
        query = select(table).where(
            table.c.status == ANSWERED,
            table.c.for_handbook.is_(True),
            table.c.answered_at >= since,
            table.c.answered_at < until,
        )
        with self.engine.connect() as conn:
            return [_ticket(row) for row in conn.execute(query.order_by(table.c.answered_at))]

    def _set(self, ticket_id: int, **values) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.id == ticket_id)
                .values(updated_at=self._clock(), **values)
            )


def _ticket(row) -> Ticket:
    return Ticket(
        id=row.id,
        question=row.question,
        closest=split_ids(row.closest),
        asker_id=row.asker_id,
        asker_conversation_id=row.asker_conversation_id,
        asker_activity_id=row.asker_activity_id,
        status=row.status,
        taken_by=row.taken_by,
        taken_by_name=row.taken_by_name,
        answer=row.answer,
        for_handbook=bool(row.for_handbook),
        expert_conversation_id=row.expert_conversation_id,
        card_activity_id=row.card_activity_id,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        answered_at=as_utc(row.answered_at),
    )
