"""One shared, reloading schedule for the web routes, with the file checks kept off the loop.

``ScheduleStore.refresh()`` stats the schedule files and re-reads them when they changed; it
keeps the last good schedule (and logs the refusal once) when an edit brings errors. Here it
runs in the default executor, at most once per ``interval`` as the injected clock tells time,
and never twice at the same time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from schedule import SHIPPED_DIR, Schedule, ScheduleStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

#: How often a request may make the files be checked for edits.
DEFAULT_INTERVAL = timedelta(seconds=5)


class ScheduleProvider:
    """The current schedule, refreshed from disk at most every ``interval``::

    provider = ScheduleProvider.open(config.schedule_dir, clock=lambda: datetime.now(UTC))
    schedule = await provider.current()   # in a request handler
    """

    def __init__(
        self, store: ScheduleStore, *, clock: Clock, interval: timedelta = DEFAULT_INTERVAL
    ) -> None:
        self.store = store
        self.clock = clock
        self.interval = interval
        self._checked: datetime | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def open(
        cls, directory: Path | None, *, clock: Clock, interval: timedelta = DEFAULT_INTERVAL
    ) -> ScheduleProvider:
        """Load ``directory`` (the shipped example when None). Blocking: reads the files once."""
        return cls(ScheduleStore(directory or SHIPPED_DIR), clock=clock, interval=interval)

    async def current(self) -> Schedule:
        """The last good schedule, after checking the files if the last check is old enough."""
        if self._due():
            async with self._lock:
                if self._due():  # another request may have refreshed while we waited
                    loop = asyncio.get_running_loop()
                    try:
                        await loop.run_in_executor(None, self.store.refresh)
                    except Exception:
                        # The store reports bad files itself; this is a bug. Keep serving.
                        log.exception("timeplan: kunne ikke lese %s på nytt", self.store.directory)
                    self._checked = self.clock()
        return self.store.schedule

    def _due(self) -> bool:
        now = self.clock()
        last = self._checked
        # A clock that went backwards (a test, or a corrected wall clock) also triggers a check.
        return last is None or now < last or now - last >= self.interval
