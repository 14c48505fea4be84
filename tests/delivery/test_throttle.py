"""The rate limiter on a fake clock: Teams' per-tenant and per-conversation limits hold."""

from __future__ import annotations

import asyncio

import pytest

from bot.delivery.throttle import Limit, Throttle


class FakeTime:
    """Monotonic seconds that only move when someone sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def throttle(fake: FakeTime, **kwargs) -> Throttle:
    return Throttle(clock=fake, sleep=fake.sleep, **kwargs)


def max_in_window(times: list[float], period: float) -> int:
    """The most requests in any half-open window [t, t + period)."""
    times = sorted(times)
    return max(sum(1 for u in times if t <= u < t + period) for t in times)


async def test_one_conversation_gets_7_a_second_and_60_in_30_seconds():
    fake = FakeTime()
    limiter = throttle(fake)
    sent = []
    for _ in range(130):
        await limiter.acquire("c1", "t1")
        sent.append(fake.now)
    assert max_in_window(sent, 1.0) == 7
    assert max_in_window(sent, 30.0) == 60
    # The first 7 go at once; 60 need a little over 8 s; the 61st waits for the 30 s window.
    assert sent[6] == sent[0] and sent[7] == pytest.approx(sent[0] + 1)
    assert sent[60] == pytest.approx(sent[0] + 30)
    assert sent[120] == pytest.approx(sent[0] + 60)


async def test_a_tenant_gets_50_a_second_over_all_conversations():
    fake = FakeTime()
    limiter = throttle(fake)
    sent = []

    async def one(n: int) -> None:
        await limiter.acquire(f"c{n}", "t1")
        sent.append(fake.now)

    await asyncio.gather(*(one(n) for n in range(500)))
    assert len(sent) == 500
    assert max_in_window(sent, 1.0) == 50
    # 500 distinct conversations at 50/s: ten seconds' worth, and not much more.
    assert max(sent) - min(sent) == pytest.approx(9.0)


async def test_tenants_and_conversations_are_limited_separately():
    fake = FakeTime()
    limiter = throttle(fake)
    for n in range(50):
        await limiter.acquire(f"a{n}", "t1")
    for n in range(50):
        await limiter.acquire(f"b{n}", "t2")  # another tenant: its own 50
    for _ in range(7):
        await limiter.acquire("x", "t3")
    assert fake.sleeps == []
    await limiter.acquire("x", "t3")  # the 8th to one conversation in the same second waits
    assert fake.sleeps == [pytest.approx(1.0)]
    assert limiter.waited == pytest.approx(1.0)


async def test_concurrent_waiters_never_overshoot():
    fake = FakeTime()
    limiter = throttle(fake, tenant_limits=(Limit(3, 1.0),), conversation_limits=())
    sent = []

    async def one(n: int) -> None:
        await limiter.acquire(f"c{n}")
        sent.append(fake.now)

    await asyncio.gather(*(one(n) for n in range(20)))
    assert max_in_window(sent, 1.0) == 3
    assert len(sent) == 20


async def test_disabled_lets_everything_through_at_once():
    fake = FakeTime()
    limiter = throttle(fake, enabled=False)
    for _ in range(1000):
        assert await limiter.acquire("c1", "t1") == 0.0
    assert fake.sleeps == []


async def test_idle_windows_are_forgotten():
    fake = FakeTime()
    limiter = throttle(fake)
    for n in range(2048):
        await limiter.acquire(f"c{n}", "t1")
    fake.now += 60
    for _ in range(1024):
        await limiter.acquire("again", "t1")
    assert len(limiter._windows) < 100


def test_limits_are_checked():
    with pytest.raises(ValueError):
        Limit(0, 1.0)
    with pytest.raises(ValueError):
        Limit(1, 0)
