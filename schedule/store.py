"""A schedule directory that is reloaded when its files change, keeping the last good version.

The web app holds one ``ScheduleStore`` and calls ``refresh()`` before it serves (cheap: one
``stat`` per file when nothing changed). An edit that brings errors is refused as a whole: the
feeds keep showing the last good schedule, and the problems are logged and kept in
``problems``. Only the very first load, when there is nothing to fall back on, takes the
good entries of a directory that has errors.
"""

from __future__ import annotations

import logging
from pathlib import Path

from schedule.loader import load, schedule_files
from schedule.model import Problem

log = logging.getLogger("schedule")

Stamp = tuple[tuple[str, int, int], ...]


class ScheduleStore:
    """The current (last good) schedule of ``directory``."""

    def __init__(self, directory: Path, logger: logging.Logger = log) -> None:
        self.directory = directory
        self._log = logger
        self._stamp = self._current_stamp()
        self.schedule, self.problems = load(directory)
        self._seen = self.schedule.fingerprint
        #: True while the files hold a change that was refused (the schedule is the older one).
        self.refused = False
        self._report(self.problems)

    def refresh(self) -> bool:
        """Reload if a file was added, removed or changed. True if a new schedule was taken."""
        stamp = self._current_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        schedule, problems = load(self.directory)
        if schedule.fingerprint == self._seen:
            return False  # touched, not changed: already taken or already refused
        self._seen = schedule.fingerprint
        self.problems = problems
        errors = [p for p in problems if not p.warning]
        if errors:
            for problem in errors:
                self._log.error("timeplan: endringen er avvist: %s", problem)
            self._log.error(
                "timeplan: viser fortsatt siste gyldige versjon (%d feil i %s)",
                len(errors),
                self.directory,
            )
            self.refused = True
            return False
        self._report(problems)
        self.schedule, self.refused = schedule, False
        self._log.info("timeplan: lastet på nytt fra %s", self.directory)
        return True

    def _report(self, problems: tuple[Problem, ...]) -> None:
        for problem in problems:
            level = logging.WARNING if problem.warning else logging.ERROR
            self._log.log(level, "timeplan: %s", problem)

    def _current_stamp(self) -> Stamp:
        try:
            stats = [(p.name, p.stat()) for p in schedule_files(self.directory)]
        except OSError:  # missing directory, or a file removed while we looked
            return ()
        return tuple((name, st.st_mtime_ns, st.st_size) for name, st in stats)
