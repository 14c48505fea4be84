"""The handbook as a service: load a directory, keep its index in step, answer questions.

    >>> hb = Handbook.open()                       # doctest: +SKIP
    >>> hb.search("bruker ringte og søkte muntlig").hits[0].routine_id  # doctest: +SKIP
    'muntlig-soknad'

``search`` notices edited, added and removed files (it looks at most once a second) and
re-indexes only what changed, so maintainers never restart the bot. A file that breaks keeps
its last good version in search while the problem is reported in ``problems``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import date
from pathlib import Path

from handbook.index import open_index, sync_index
from handbook.loader import SYNONYM_FILE, load_handbook, routine_files
from handbook.model import Hit, Problem, Routine, SearchResult
from handbook.search import Confidence, Searcher
from handbook.synonyms import SynonymIndex

log = logging.getLogger(__name__)

SHIPPED_HANDBOOK = Path(__file__).parent / "data"
CHECK_INTERVAL = 1.0


def default_directory() -> Path:
    """``HANDBOOK_DIR`` if set, else the shipped example handbook."""
    configured = os.environ.get("HANDBOOK_DIR")
    return Path(configured) if configured else SHIPPED_HANDBOOK


def _fingerprint(directory: Path) -> tuple:
    entries = []
    for path in [*routine_files(directory), directory / SYNONYM_FILE]:
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


class Handbook:
    def __init__(
        self,
        directory: Path,
        index_dir: Path | None,
        confidence: Confidence | None = None,
        clock=time.monotonic,
        today=date.today,
    ):
        self.directory = directory
        self._index = open_index(index_dir)
        self._confidence = confidence
        self._clock = clock
        self._today = today
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._fingerprint: tuple = ()
        self._checked_at = float("-inf")
        self._good: dict[Path, Routine] = {}
        self.problems: tuple[Problem, ...] = ()
        self.routines: tuple[Routine, ...] = ()
        self.refresh(force=True)

    @classmethod
    def open(
        cls,
        directory: Path | None = None,
        index_dir: Path | None = None,
        confidence: Confidence | None = None,
    ) -> Handbook:
        """Open a handbook (default: :func:`default_directory`); ``index_dir=None`` keeps the
        index in memory."""
        return cls(Path(directory) if directory else default_directory(), index_dir, confidence)

    def refresh(self, force: bool = False) -> bool:
        """Re-read the directory if anything in it changed; returns whether it did."""
        with self._lock:
            now = self._clock()
            if not force and now - self._checked_at < CHECK_INTERVAL:
                return False
            self._checked_at = now
            fingerprint = _fingerprint(self.directory)
            if not force and fingerprint == self._fingerprint:
                return False
            self._fingerprint = fingerprint
            self._reload()
            return True

    def _reload(self) -> None:
        loaded = load_handbook(self.directory, today=self._today())
        current = {p.routine.path: p.routine for p in loaded.routines}
        broken = {p.path for p in loaded.problems if not p.warning} - set(current)
        kept = {path: self._good[path] for path in broken if path in self._good}
        ids = {r.id for r in current.values()}
        kept = {path: r for path, r in kept.items() if r.id not in ids}
        for path in kept:
            log.warning("handbook: %s is broken, serving its last good version", path)
        self._good = {**current, **kept}
        for problem in loaded.problems:
            if not problem.todo:
                log.warning("handbook: %s", problem)
        routines = sorted(self._good.values(), key=lambda r: r.id)
        changed = sync_index(self._index, routines)
        if changed:
            log.info("handbook: indexed %d routine(s) from %s", changed, self.directory)
        if self._searcher is not None:
            self._searcher.close()
        synonyms = SynonymIndex(group.phrases for group in loaded.synonyms)
        self._searcher = Searcher(
            self._index, {r.id: r for r in routines}, synonyms, self._confidence
        )
        self.routines = tuple(routines)
        self.problems = loaded.problems
        unassured = sum(1 for r in routines if r.missing)
        if unassured:
            # One line, not one per field: an imported handbook may have hundreds of TODOs.
            log.info(
                "handbook: %d routine(s) not quality-assured yet (owner, dates or legal basis "
                "missing); they are searched and marked; list: python -m handbook check %s",
                unassured,
                self.directory,
            )

    def search(self, question: str, k: int = 3) -> SearchResult:
        """The best ``k`` routines for a question (best section of each). Never raises on text."""
        self.refresh()
        with self._lock:
            return self._searcher.search(question, k)

    def section_hit(self, routine_id: str, anchor: str, question: str = "") -> Hit | None:
        """A section as the answer to ``question`` shows it (excerpt and marked words as in
        :meth:`search`), or None if it is not in the handbook (any more)."""
        self.refresh()
        with self._lock:
            return self._searcher.section_hit(routine_id, anchor, question)

    def signals(self, question: str):
        """What the confidence decision saw for ``question`` (:class:`handbook.confidence.Signals`,
        None when nothing matched); for bench/calibrate_confidence.py."""
        self.refresh()
        with self._lock:
            return self._searcher.signals(question)

    def explain(self, question: str) -> dict:
        with self._lock:
            return self._searcher.explain(question)

    def routine(self, routine_id: str) -> Routine | None:
        self.refresh()
        return next((r for r in self.routines if r.id == routine_id), None)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
