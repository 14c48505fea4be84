"""``foreslå tema <tekst>``: topic proposals for Fredagsprat, personal data already removed.

SQLAlchemy Core only (SQLite and PostgreSQL). Blocking: call from a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select

from bot.clock import as_utc, utcnow
from bot.store.schema import topic_proposals as table

MAX_TEXT = 1000


@dataclass(frozen=True)
class TopicProposal:
    id: int
    text: str
    proposed_by: str
    conversation_id: str
    created_at: datetime


class TopicProposals:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self._clock = clock

    def add(self, text: str, proposed_by: str, conversation_id: str) -> TopicProposal:
        """Store a proposal; ``text`` must already be stripped of personal data (bot.pii)."""
        values = dict(
            text=text[:MAX_TEXT],
            proposed_by=proposed_by[:128],
            conversation_id=conversation_id[:512],
            created_at=self._clock(),
        )
        with self.engine.begin() as conn:
            new_id = conn.execute(insert(table).values(**values)).inserted_primary_key[0]
        return TopicProposal(
            new_id,
            values["text"],
            values["proposed_by"],
            values["conversation_id"],
            as_utc(values["created_at"]),
        )

    def latest(self, limit: int = 50) -> list[TopicProposal]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(table).order_by(table.c.id.desc()).limit(limit)).all()
        return [
            TopicProposal(r.id, r.text, r.proposed_by, r.conversation_id, as_utc(r.created_at))
            for r in rows
        ]
