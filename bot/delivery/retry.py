"""What to do with the connector's answer to a send: pure rules, no I/O.

Teams' published limits for bots: retry 412, 429, 502, 503 and 504 honouring ``Retry-After``;
other 5xx and network errors with exponential back-off and jitter; 403/404 mean the bot was
removed from the conversation (unsubscribe, never retry); any other 4xx is our mistake (fail).
After ``max_attempts`` attempts a delivery is marked failed.

    >>> [classify(status).value for status in (201, 429, 500, 404, 400)]
    ['sent', 'retry', 'retry', 'unsubscribe', 'fail']
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum

RETRY_AFTER_STATUSES = frozenset({412, 429, 502, 503, 504})
UNSUBSCRIBE_STATUSES = frozenset({403, 404})


class Action(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    UNSUBSCRIBE = "unsubscribe"
    FAIL = "fail"


def classify(status: int | None) -> Action:
    """The action for an HTTP status; ``None`` is a network error or timeout (retried)."""
    if status is None or status in RETRY_AFTER_STATUSES or 500 <= status <= 599:
        return Action.RETRY
    if 200 <= status <= 299:
        return Action.SENT
    if status in UNSUBSCRIBE_STATUSES:
        return Action.UNSUBSCRIBE
    return Action.FAIL


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None.

    >>> parse_retry_after("3", datetime(2026, 1, 1, tzinfo=UTC))
    3.0
    >>> parse_retry_after("Thu, 01 Jan 2026 00:00:10 GMT", datetime(2026, 1, 1, tzinfo=UTC))
    10.0
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with full jitter, capped; at most ``max_attempts`` sends."""

    max_attempts: int = 8
    base_seconds: float = 2.0
    cap_seconds: float = 15 * 60.0
    max_retry_after_seconds: float = 60 * 60.0  # a longer Retry-After is clamped to this

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base_seconds <= 0 or self.cap_seconds < self.base_seconds:
            raise ValueError("max_attempts >= 1 and 0 < base_seconds <= cap_seconds")

    def backoff(self, attempts: int, rng: random.Random) -> float:
        """Seconds before the next try after ``attempts`` failed ones (full jitter, AWS style).

        The ceiling doubles per attempt up to ``cap_seconds``; the wait is uniform below it, so
        many conversations throttled at once do not come back at once.
        """
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempts - 1))
        return rng.uniform(self.base_seconds / 2, ceiling)

    def delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> float:
        """``Retry-After`` when the server gave one (clamped), else :meth:`backoff`."""
        if retry_after is not None:
            return min(max(0.0, retry_after), self.max_retry_after_seconds)
        return self.backoff(attempts, rng)

    def gives_up(self, attempts: int) -> bool:
        """True when ``attempts`` sends have been made and no more may be."""
        return attempts >= self.max_attempts
