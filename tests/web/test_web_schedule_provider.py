"""The shared schedule: refreshed from disk at most every interval, never on the event loop."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from bot.web.schedule_provider import DEFAULT_INTERVAL, ScheduleProvider
from schedule import SHIPPED_DIR, ScheduleStore
from tests.conftest import NOW, WriteDir, session_yaml
from tests.web_support import FakeClock, rewrite


class CountingStore(ScheduleStore):
    """Records each refresh and the thread it ran in."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.threads: list[int] = []
        self.gate: threading.Event | None = None

    def refresh(self) -> bool:
        self.threads.append(threading.get_ident())
        if self.gate is not None:
            assert self.gate.wait(5), "the test never opened the gate"
        return super().refresh()


def provider_for(write_dir: WriteDir, clock: FakeClock) -> ScheduleProvider:
    directory = write_dir(s__yaml="sessions:\n" + session_yaml("a", "2027-01-29"))
    return ScheduleProvider(CountingStore(directory), clock=clock)


async def test_refresh_runs_off_the_loop_and_at_most_once_per_interval(
    write_dir: WriteDir,
) -> None:
    clock = FakeClock(NOW)
    provider = provider_for(write_dir, clock)
    store = provider.store
    assert isinstance(store, CountingStore)

    await provider.current()
    await provider.current()
    clock.advance(seconds=DEFAULT_INTERVAL.total_seconds() - 0.1)
    await provider.current()
    assert len(store.threads) == 1
    assert store.threads[0] != threading.get_ident()  # the executor, not the loop's thread

    clock.advance(seconds=0.1)
    await provider.current()
    assert len(store.threads) == 2


async def test_an_edit_is_seen_once_the_interval_has_passed(write_dir: WriteDir) -> None:
    clock = FakeClock(NOW)
    provider = provider_for(write_dir, clock)
    assert [s.id for s in (await provider.current()).sessions] == ["a"]

    path = provider.store.directory / "s.yaml"
    rewrite(path, path.read_text("utf-8") + session_yaml("b", "2027-02-26"))
    assert [s.id for s in (await provider.current()).sessions] == ["a"]  # not yet checked

    clock.advance(seconds=5)
    assert [s.id for s in (await provider.current()).sessions] == ["a", "b"]


async def test_concurrent_requests_share_one_refresh(write_dir: WriteDir) -> None:
    clock = FakeClock(NOW)
    provider = provider_for(write_dir, clock)
    store = provider.store
    assert isinstance(store, CountingStore)
    store.gate = threading.Event()

    waiting = [asyncio.create_task(provider.current()) for _ in range(5)]
    await asyncio.sleep(0.05)  # let all five reach the refresh
    store.gate.set()
    results = await asyncio.gather(*waiting)

    assert len(store.threads) == 1
    assert all(r is store.schedule for r in results)


async def test_a_clock_that_goes_back_checks_again(write_dir: WriteDir) -> None:
    clock = FakeClock(NOW)
    provider = provider_for(write_dir, clock)
    store = provider.store
    assert isinstance(store, CountingStore)

    await provider.current()
    clock.advance(hours=-1)
    await provider.current()
    assert len(store.threads) == 2


def test_open_without_a_directory_takes_the_shipped_example() -> None:
    provider = ScheduleProvider.open(None, clock=FakeClock(NOW))

    assert provider.store.directory == SHIPPED_DIR
    assert provider.store.schedule.sessions


class FailingStore(ScheduleStore):
    def refresh(self) -> bool:
        raise RuntimeError("a bug, not a bad file")


async def test_an_unexpected_error_keeps_the_last_schedule_and_is_logged(
    write_dir: WriteDir, caplog: pytest.LogCaptureFixture
) -> None:
    directory = write_dir(s__yaml="sessions:\n" + session_yaml("a", "2027-01-29"))
    clock = FakeClock(NOW)
    provider = ScheduleProvider(FailingStore(directory), clock=clock)

    schedule = await provider.current()
    assert [s.id for s in schedule.sessions] == ["a"]
    assert any(r.exc_info and "a bug" in str(r.exc_info[1]) for r in caplog.records)

    caplog.clear()
    await provider.current()  # within the interval: not retried, not logged again
    assert caplog.records == []
