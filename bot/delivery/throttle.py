"""Teams' published rate limits for a bot, as an asyncio limiter: pure asyncio, no I/O.

Per app and tenant at most 50 requests a second overall; per conversation at most 7 a second
and 60 in 30 seconds. Each limit is a sliding window (the times of the requests it let through
in the last ``period`` seconds): a request waits until every window it falls under has room.

    throttle = Throttle()
    await throttle.acquire(conversation_id, tenant_id)   # then send

Checking and recording happen without an ``await`` in between, so concurrent callers on one
event loop never overshoot a limit. ``clock`` (monotonic seconds) and ``sleep`` are injectable:
tests run it on a fake clock whose ``sleep`` only advances the time.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """At most ``requests`` in any ``period`` seconds."""

    requests: int
    period: float

    def __post_init__(self) -> None:
        if self.requests < 1 or self.period <= 0:
            raise ValueError("a limit needs requests >= 1 and period > 0")


#: Teams: 50 requests/s per app per tenant, summed over all conversations.
TENANT_LIMITS = (Limit(50, 1.0),)
#: Teams: per bot and conversation, 7 requests/s and 60 per 30 s.
CONVERSATION_LIMITS = (Limit(7, 1.0), Limit(60, 30.0))


class _Window:
    """The times of the requests a :class:`Limit` let through within its period."""

    __slots__ = ("limit", "times")

    def __init__(self, limit: Limit):
        self.limit = limit
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more request fits (0 if it fits now)."""
        times, limit = self.times, self.limit
        while times and times[0] <= now - limit.period:
            times.popleft()
        if len(times) < limit.requests:
            return 0.0
        return times[len(times) - limit.requests] + limit.period - now


class Throttle:
    """Sliding-window limits per tenant and per conversation; ``enabled=False`` lets all through."""

    def __init__(
        self,
        tenant_limits: tuple[Limit, ...] = TENANT_LIMITS,
        conversation_limits: tuple[Limit, ...] = CONVERSATION_LIMITS,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        enabled: bool = True,
    ):
        self.tenant_limits = tenant_limits
        self.conversation_limits = conversation_limits
        self.enabled = enabled
        self._clock = clock
        self._sleep = sleep
        self._windows: dict[tuple[str, Hashable], list[_Window]] = {}
        self.waited = 0.0  # seconds spent waiting in total (for figures and tests)
        self._acquired = 0

    def _for(self, kind: str, key: Hashable, limits: tuple[Limit, ...]) -> list[_Window]:
        windows = self._windows.get((kind, key))
        if windows is None:
            windows = self._windows[(kind, key)] = [_Window(limit) for limit in limits]
        return windows

    async def acquire(self, conversation_id: str, tenant_id: str | None = None) -> float:
        """Wait until a request to ``conversation_id`` (in ``tenant_id``) is allowed; record it.

        Returns the seconds waited.
        """
        if not self.enabled:
            return 0.0
        windows = self._for("tenant", tenant_id or "", self.tenant_limits) + self._for(
            "conversation", conversation_id, self.conversation_limits
        )
        waited = 0.0
        while True:
            now = self._clock()
            wait = max(window.wait(now) for window in windows)
            if wait <= 0:
                for window in windows:
                    window.times.append(now)
                self.waited += waited
                self._forget_idle(now)
                return waited
            await self._sleep(wait)
            waited += wait

    def _forget_idle(self, now: float) -> None:
        """Now and then drop the windows that let nothing through for a whole period (memory)."""
        self._acquired += 1
        if self._acquired % 1024:
            return
        for key, windows in list(self._windows.items()):
            if all(not w.times or w.times[-1] <= now - w.limit.period for w in windows):
                del self._windows[key]
