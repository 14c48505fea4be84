"""The token service's keys are fetched in a thread, one refresh at a time, with a timeout."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime

import pytest
from botframework.connector.auth import jwt_token_extractor

from bot.teams import openid_refresh


@pytest.fixture
def blocking_refresh(monkeypatch):
    """The SDK's shape: an ``async def`` that blocks (``requests.get``) for ``delay`` seconds."""
    calls: list[str] = []
    delay = {"seconds": 0.3}

    async def refresh(self):
        calls.append(threading.current_thread().name)
        time.sleep(delay["seconds"])
        self.keys = [{"kid": "k"}]
        self.last_updated = datetime.now()

    monkeypatch.setattr(jwt_token_extractor._OpenIdMetadata, "_refresh", refresh)
    openid_refresh.install()
    openid_refresh.install()  # idempotent: wrapped once
    return calls, delay


async def _ticks_while(awaitable) -> int:
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    task = asyncio.ensure_future(ticker())
    try:
        await awaitable
    finally:
        task.cancel()
    return ticks


async def test_the_loop_keeps_running_and_concurrent_callers_share_one_refresh(blocking_refresh):
    calls, _ = blocking_refresh
    metadata = jwt_token_extractor._OpenIdMetadata("https://login.example/openid")
    refreshes = asyncio.gather(*(metadata._refresh() for _ in range(3)))
    ticks = await _ticks_while(refreshes)
    assert len(calls) == 1 and calls[0] != threading.current_thread().name
    assert metadata.keys == [{"kid": "k"}]
    assert ticks >= 10  # 0.3 s of blocking fetch, and the event loop ticked all along


async def test_a_refresh_that_hangs_gives_up_after_the_timeout(blocking_refresh, monkeypatch):
    _, delay = blocking_refresh
    delay["seconds"] = 1.0
    monkeypatch.setattr(openid_refresh, "REFRESH_TIMEOUT", 0.2)
    metadata = jwt_token_extractor._OpenIdMetadata("https://login.example/openid")
    with pytest.raises(TimeoutError):
        await metadata._refresh()
    assert metadata.keys == []
