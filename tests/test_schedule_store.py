"""Reloading: only when files change, and never replacing a good schedule with a broken one."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from schedule.store import ScheduleStore
from tests.conftest import WriteDir, line_of, session_yaml

GOOD = "sessions:\n" + session_yaml("a", "2027-01-29")
GOOD_TWO = GOOD + session_yaml("b", "2027-02-26")
BROKEN = GOOD + session_yaml("b", "2027-02-30")  # no such date
BAD_LINE = line_of(BROKEN, "2027-02-30")


def rewrite(path: Path, text: str) -> None:
    """Write and move the mtime on, so the change is seen even within one clock tick."""
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, "utf-8")
    os.utime(path, ns=(old + 1_000_000_000, old + 1_000_000_000))


@pytest.fixture
def store(write_dir: WriteDir) -> ScheduleStore:
    return ScheduleStore(write_dir(s__yaml=GOOD))


def ids(store: ScheduleStore) -> list[str]:
    return [s.id for s in store.schedule.sessions]


def test_refresh_does_nothing_when_nothing_changed(store: ScheduleStore) -> None:
    before = store.schedule

    assert store.refresh() is False
    assert store.schedule is before


def test_touch_without_change_keeps_the_same_schedule(store: ScheduleStore) -> None:
    before = store.schedule
    rewrite(store.directory / "s.yaml", GOOD)

    assert store.refresh() is False
    assert store.schedule is before


def test_good_edit_is_taken(store: ScheduleStore) -> None:
    rewrite(store.directory / "s.yaml", GOOD_TWO)

    assert store.refresh() is True
    assert ids(store) == ["a", "b"]
    assert store.problems == () and store.refused is False


def test_new_and_removed_files_are_seen(store: ScheduleStore) -> None:
    extra = store.directory / "more.yaml"
    rewrite(extra, "sessions:\n" + session_yaml("c", "2027-03-26"))
    assert store.refresh() is True
    assert ids(store) == ["a", "c"]

    extra.unlink()
    assert store.refresh() is True
    assert ids(store) == ["a"]


def test_broken_edit_keeps_the_last_good_schedule_and_logs_why(
    store: ScheduleStore, caplog: pytest.LogCaptureFixture
) -> None:
    good = store.schedule
    caplog.set_level(logging.INFO, logger="schedule")
    rewrite(store.directory / "s.yaml", BROKEN)

    assert store.refresh() is False
    assert store.schedule is good
    assert store.refused is True
    assert [f"{p.path.name}:{p.line}" for p in store.problems] == [f"s.yaml:{BAD_LINE}"]
    refused = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("endringen er avvist" in m and f"s.yaml:{BAD_LINE}:" in m for m in refused)
    assert any("siste gyldige versjon" in m for m in refused)

    # Polling again does not log the same refusal again.
    caplog.clear()
    assert store.refresh() is False
    assert caplog.records == []

    # Once fixed, the new schedule is taken.
    rewrite(store.directory / "s.yaml", GOOD_TWO)
    assert store.refresh() is True
    assert ids(store) == ["a", "b"]
    assert store.refused is False


def test_deleted_directory_keeps_the_last_good_schedule(store: ScheduleStore) -> None:
    good = store.schedule
    shutil.rmtree(store.directory)

    assert store.refresh() is False
    assert store.schedule is good
    assert [p.message for p in store.problems] == ["mappen finnes ikke"]


def test_first_load_with_errors_keeps_the_good_entries(
    write_dir: WriteDir, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="schedule")
    store = ScheduleStore(write_dir(s__yaml=BROKEN))

    assert ids(store) == ["a"]
    assert len(store.problems) == 1
    assert any(f"s.yaml:{BAD_LINE}:" in r.getMessage() for r in caplog.records)
