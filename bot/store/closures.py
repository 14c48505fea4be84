"""Closed occurrences: "Markér som evaluert" on a deadline or a yearly-cycle occurrence, and
"Markér som gjennomgått" on a routine's review.

One row per (kind, item, occurrence); the first closure stands (the primary key refuses a
second, and :meth:`Closures.close` then returns the one that is there). The planner reads
:meth:`Closures.closed` before planning, so a closed occurrence gets no more reminders, also
after a restart and on every instance. Blocking: call from a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from bot.clock import as_utc, utcnow
from bot.store.schema import CLOSURE_KINDS
from bot.store.schema import closures as table

DEADLINE, RECURRING, REVIEW = CLOSURE_KINDS
MAX_NOTE = 500

#: (kind, item id, occurrence as an ISO date)
ClosedKey = tuple[str, str, str]


@dataclass(frozen=True)
class Closure:
    kind: str
    item_id: str
    occurrence: str  # ISO date of the deadline, the occurrence or the review date
    closed_by: str  # Azure AD object id
    closed_by_name: str
    note: str
    closed_at: datetime  # UTC

    @property
    def key(self) -> ClosedKey:
        return (self.kind, self.item_id, self.occurrence)


class Closures:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self._clock = clock

    def close(
        self, kind: str, item_id: str, occurrence: str, by: str, by_name: str, note: str = ""
    ) -> tuple[Closure, bool]:
        """Close an occurrence; returns the closure that stands and whether it is this one.

        ``note`` must already be free of personal data (see :mod:`bot.pii`).
        """
        if kind not in CLOSURE_KINDS:
            raise ValueError(f"unknown closure kind {kind!r}")
        values = dict(
            kind=kind,
            item_id=item_id[:200],
            occurrence=occurrence[:32],
            closed_by=by[:128],
            closed_by_name=by_name[:200],
            note=note[:MAX_NOTE],
            closed_at=as_utc(self._clock()),
        )
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(table).values(**values))
        except IntegrityError:
            existing = self.get(kind, item_id, occurrence)
            if existing is None:  # pragma: no cover - a closure is never deleted
                raise
            return existing, False
        return _closure(values), True

    def get(self, kind: str, item_id: str, occurrence: str) -> Closure | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(table).where(
                    table.c.kind == kind,
                    table.c.item_id == item_id,
                    table.c.occurrence == occurrence,
                )
            ).first()
        return _closure(row._mapping) if row else None

    def closed(self) -> frozenset[ClosedKey]:
        """Every closed (kind, item, occurrence): what the planner leaves out."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(table.c.kind, table.c.item_id, table.c.occurrence)).all()
        return frozenset((r.kind, r.item_id, r.occurrence) for r in rows)


def _closure(values) -> Closure:
    return Closure(
        kind=values["kind"],
        item_id=values["item_id"],
        occurrence=values["occurrence"],
        closed_by=values["closed_by"],
        closed_by_name=values["closed_by_name"] or "",
        note=values["note"] or "",
        closed_at=as_utc(values["closed_at"]),
    )
