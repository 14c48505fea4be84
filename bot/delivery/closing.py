"""Closed occurrences and the outbox: what a closure takes out of the plan.

A deadline's evaluation (closure kind ``deadline``) and a yearly-cycle occurrence
(``recurring``) are closed per occurrence, the ISO date it falls on. :func:`open_moments` drops
the closed ones before planning, so the planner no longer yields their keys and
``Outbox.withdraw`` cancels what was already planned; :func:`withdraw_closed` cancels the
planned rows at once when someone presses the button, without waiting for the next tick.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from bot.delivery import planner
from bot.delivery.outbox import Outbox
from bot.store.closures import DEADLINE, RECURRING, ClosedKey
from schedule.model import Due, DueKind

#: Planner kinds → the closure kind that stops them.
CLOSED_BY = {
    planner.DEADLINE_REMINDER: DEADLINE,
    planner.DEADLINE_OVERDUE: DEADLINE,
    planner.RECURRING_REMINDER: RECURRING,
}
_DUE_KINDS = {DueKind.EVALUATE: DEADLINE, DueKind.RECURRING: RECURRING}


def closure_key(due: Due) -> ClosedKey | None:
    """The closure that would stop ``due``'s reminders (None: nothing closes it)."""
    kind = _DUE_KINDS.get(due.kind)
    return (kind, due.item_id, due.day.isoformat()) if kind else None


def open_moments(moments: Iterable[Due], closed: Collection[ClosedKey]) -> list[Due]:
    """``moments`` without the closed occurrences."""
    return [due for due in moments if closure_key(due) not in closed]


def occurrence(payload: dict) -> str:
    """The ISO date (Oslo) of the deadline or occurrence a planner payload is about."""
    at = planner.payload_moment(payload)
    return at.date().isoformat() if at is not None else ""


def withdraw_closed(outbox: Outbox, key: ClosedKey, reason: str) -> int:
    """Cancel the planned reminders of a just-closed occurrence. Blocking."""
    kind, item_id, day = key
    kinds = [k for k, closed_by in CLOSED_BY.items() if closed_by == kind]
    rows = outbox.find(kinds, [item_id])
    return outbox.cancel([d.id for d in rows if occurrence(d.payload) == day], reason)
