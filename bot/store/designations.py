"""Conversations chosen for a purpose by a command written there.

``ekspertkanal`` makes a channel the experts' conversation (tickets from "Spør en fagperson"),
``arrangørkanal`` the organisers' (topic proposals), ``eierkanal`` the handbook owner's (monthly
digest) and ``eierkanal <rolle>`` a routine owner role's (review reminders). One conversation per
purpose: choosing again moves it. Blocking: call from a thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select

from bot.clock import as_utc, utcnow
from bot.store import ConversationRecord, Store
from bot.store.schema import designated_conversations as table

EXPERTS = "ekspert"
ORGANISERS = "arrangør"
HANDBOOK_OWNER = "eier"
_OWNER_ROLE = "eier:"
_SPACE = re.compile(r"\s+")


def owner_role(role: str) -> str:
    """The purpose for a routine owner role (``owner`` in a routine's front matter); case and
    spacing do not matter: ``eier:fagleder sosiale tjenester``."""
    return _OWNER_ROLE + _SPACE.sub(" ", role).strip().lower()[:150]


@dataclass(frozen=True)
class Designation:
    purpose: str
    conversation_id: str
    set_by: str
    set_at: datetime


class Designations:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self._clock = clock

    def choose(self, purpose: str, conversation_id: str, set_by: str) -> None:
        """Make ``conversation_id`` the conversation for ``purpose`` (replacing any earlier)."""
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.purpose == purpose))
            conn.execute(
                insert(table).values(
                    purpose=purpose,
                    conversation_id=conversation_id,
                    set_by=set_by,
                    set_at=self._clock(),
                )
            )

    def choose_here(
        self, store: Store, purpose: str, conversation: ConversationRecord, by: str
    ) -> None:
        """Choose the conversation a command was written in: stored first, since the outbox
        posts only to conversations whose reference the store knows."""
        store.save_conversation(conversation)
        self.choose(purpose, conversation.conversation_id, by)

    def conversation_for(self, purpose: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(table.c.conversation_id).where(table.c.purpose == purpose)
            ).scalar()

    def all(self) -> list[Designation]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(table).order_by(table.c.purpose)).all()
        return [Designation(r.purpose, r.conversation_id, r.set_by, as_utc(r.set_at)) for r in rows]
