"""A check of files for edits, kept off the event loop and from running too often.

Both the schedule (:mod:`bot.web.schedule_provider`) and the handbook pages
(:mod:`bot.web.routines`) re-read their files when a request finds the last check old enough;
this is that rule, once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

Clock = Callable[[], datetime]


class Throttled:
    """Runs a blocking check in the default executor at most once per ``interval`` as the
    injected clock tells time, and never twice at the same time."""

    def __init__(self, *, clock: Clock, interval: timedelta) -> None:
        self.clock = clock
        self.interval = interval
        self._checked: datetime | None = None
        self._lock = asyncio.Lock()

    async def run(self, check: Callable[[], object], on_error: Callable[[], None]) -> None:
        """``check()`` in a thread if due; ``on_error()`` (inside the ``except``) if it raised."""
        if self._due():
            async with self._lock:
                if self._due():  # another request may have checked while we waited
                    loop = asyncio.get_running_loop()
                    try:
                        await loop.run_in_executor(None, check)
                    except Exception:
                        on_error()
                    self._checked = self.clock()

    def _due(self) -> bool:
        now = self.clock()
        last = self._checked
        # A clock that went backwards (a test, or a corrected wall clock) also triggers a check.
        return last is None or now < last or now - last >= self.interval
