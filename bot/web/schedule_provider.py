"""One shared, reloading schedule for the web routes, with the file checks kept off the loop.

``ScheduleStore.refresh()`` stats the schedule files and re-reads them when they changed; it
keeps the last good schedule (and logs the refusal once) when an edit brings errors. Here it
runs in the default executor, at most once per ``interval`` as the injected clock tells time,
and never twice at the same time.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from schedule import SHIPPED_DIR, Schedule, ScheduleStore

from .throttle import Clock, Throttled

log = logging.getLogger(__name__)

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
        self._refresh = Throttled(clock=clock, interval=interval)

    @classmethod
    def open(
        cls, directory: Path | None, *, clock: Clock, interval: timedelta = DEFAULT_INTERVAL
    ) -> ScheduleProvider:
        """Load ``directory`` (the shipped example when None). Blocking: reads the files once."""
        return cls(ScheduleStore(directory or SHIPPED_DIR), clock=clock, interval=interval)

    async def current(self) -> Schedule:
        """The last good schedule, after checking the files if the last check is old enough."""
        await self._refresh.run(self.store.refresh, self._failed)
        return self.store.schedule

    def _failed(self) -> None:
        # The store reports bad files itself; this is a bug. Keep serving.
        log.exception("timeplan: kunne ikke lese %s på nytt", self.store.directory)
