"""The default clocks: UTC for what the bot stores and sends (and reading stored times back),
Oslo time for what it says to people.

Business logic takes a clock argument (tests pass their own); these are the defaults.
"""

from __future__ import annotations

from datetime import UTC, datetime

from schedule.model import OSLO


def utcnow() -> datetime:
    return datetime.now(UTC)


def oslo_now() -> datetime:
    return datetime.now(OSLO)


def as_utc(moment: datetime | None) -> datetime | None:
    """A stored time as aware UTC: SQLite hands back naive datetimes, and what we store is UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
