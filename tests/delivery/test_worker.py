"""The scheduler loop on a real SQLite file, a scripted Bot Connector and a controllable clock."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import WORKER, create_app
from bot.config import Config
from bot.delivery.outbox import CANCELLED, FAILED, PLANNED, SENT, Outbox, OutboxItem
from bot.delivery.planner import FRISTER, plan_deliveries
from bot.delivery.retry import RetryPolicy
from bot.delivery.sender import Sender
from bot.delivery.throttle import Throttle
from bot.delivery.worker import Worker, WorkerSettings
from bot.features.tickets import cards as tc
from bot.store import Store, Subscription, create_db_engine
from bot.teams.adapter import RutineAdapter
from schedule import SHIPPED_DIR, ScheduleStore
from schedule.upcoming import due_moments
from tests.bot_fixtures import NOW, activity, mention
from tests.delivery_fixtures import (
    T0,
    Clock,
    migrated,
    record,
    scripted_connector,  # noqa: F401 (the connector fixture)
)

POLICY = RetryPolicy(max_attempts=3, base_seconds=1.0, cap_seconds=2.0)


@pytest.fixture
def url(tmp_path):
    return migrated(f"sqlite:///{tmp_path / 'data' / 'rutinebot.db'}")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture(scope="module")
def shipped_schedule():
    return ScheduleStore(SHIPPED_DIR).schedule


class Rig:
    """Workers, stores and outboxes on one database file, as after a restart of the bot."""

    def __init__(self, url, clock, connector, adapter):
        self.url, self.clock, self.connector, self.adapter = url, clock, connector, adapter
        self.engines = []
        self.store = self.new_store()

    def new_store(self) -> Store:
        engine = create_db_engine(self.url)
        self.engines.append(engine)
        return Store(engine, self.clock)

    def worker(self, schedule=None, **settings) -> Worker:
        store = self.new_store()  # a fresh engine: nothing shared with an earlier worker
        outbox = Outbox(store.engine, self.clock, POLICY, random.Random(3))
        return Worker(
            outbox,
            store,
            Sender(self.adapter, clock=self.clock),
            schedule,
            throttle=Throttle(),
            settings=WorkerSettings(**settings),
            clock=self.clock,
        )

    def outbox(self) -> Outbox:
        return Outbox(self.store.engine, self.clock, POLICY)

    def install(self, conversation_id: str, topics=(FRISTER,)) -> None:
        self.store.subscribe(record(conversation_id, self.connector.url), topics)

    def close(self):
        for engine in self.engines:
            engine.dispose()


@pytest.fixture
async def rig(url, clock, connector, tmp_path):
    adapter = RutineAdapter(Config.from_env({"DATA_DIR": str(tmp_path)}))
    rig = Rig(url, clock, connector, adapter)
    yield rig
    rig.close()
    await adapter.close()


def item(key: str, conversation_id: str = "c1", due=T0, **payload) -> OutboxItem:
    payload = {"title": key, "at": due.isoformat(), **payload}
    return OutboxItem(f"broadcast|{key}|{conversation_id}", conversation_id, "x", key, due, payload)


async def test_a_due_reminder_is_delivered_once_across_ticks_and_a_restart(rig, shipped_schedule):
    rig.install("19:leaders@thread.tacv2")
    plan = plan_deliveries(
        due_moments(shipped_schedule),
        [Subscription("19:leaders@thread.tacv2", FRISTER, T0)],
        T0,
    )
    first = plan.items[0]
    rig.clock.now = first.due_at + timedelta(minutes=1)
    due = [i for i in plan.items if i.due_at <= rig.clock.now]

    async def schedule():
        return shipped_schedule

    worker = rig.worker(schedule)
    report = await worker.tick()
    assert report.sent == len(due) >= 1
    assert report.planned > len(due)  # the later reminders wait in the outbox
    assert len(rig.connector.delivered()) == len(due)
    assert "Påminnelse: frist for evaluering" in rig.connector.delivered()[0]["summary"]

    rig.clock.advance(seconds=15)
    assert (await worker.tick()).sent == 0
    restarted = rig.worker(schedule)
    assert restarted.worker_id != worker.worker_id
    report = await restarted.tick()
    assert (report.planned, report.sent) == (0, 0)
    assert len(rig.connector.delivered()) == len(due)
    for planned in due:
        assert rig.outbox().get(planned.dedupe_key).status == SENT


async def test_429_with_retry_after_is_honoured_then_delivered_once(rig):
    rig.install("c1")
    rig.outbox().plan([item("fredagsprat")])
    rig.connector.answer("c1", (429, {"Retry-After": "30"}), (429, {"Retry-After": "30"}))
    worker = rig.worker()
    statuses = []
    for _ in range(8):  # every 15 s for two minutes
        report = await worker.tick()
        statuses.append((report.retried, report.sent))
        rig.clock.advance(seconds=15)
    # 0 s: 429, retry at 30 s; 30 s: 429, retry at 60 s; 60 s: delivered. Nothing in between.
    assert statuses == [(1, 0), (0, 0), (1, 0), (0, 0), (0, 1), (0, 0), (0, 0), (0, 0)]
    assert [status for _, _, status in rig.connector.posts] == [429, 429, 201]
    assert len(rig.connector.delivered()) == 1
    row = rig.outbox().get("broadcast|fredagsprat|c1")
    assert (row.status, row.attempts) == (SENT, 3)
    assert row.activity_id == "m3"  # the connector's id of the posted message, for later updates


async def test_a_throttled_conversation_waits_without_holding_up_the_others(rig):
    """After a 429 with Retry-After, that conversation's other rows are given back unsent until
    the wait is over (no attempt counted, no more requests to it); the others go on."""
    for conversation in ("slow", "a", "b", "c"):
        rig.install(conversation)
    rig.outbox().plan([item(f"s{n}", "slow") for n in range(20)])
    rig.outbox().plan([item("x", c) for c in ("a", "b", "c")])
    rig.connector.answer("slow", (429, {"Retry-After": "30"}))
    worker = rig.worker(batch=10, concurrency=1)
    report = await worker.tick()
    assert (report.sent, report.retried, report.deferred) == (3, 1, 19)
    assert [status for path, _, status in rig.connector.posts if "/slow/" in path] == [429]
    box = rig.outbox()
    rows = [box.get(f"broadcast|s{n}|slow") for n in range(20)]
    assert {r.status for r in rows} == {PLANNED}
    assert sorted(r.attempts for r in rows) == [0] * 19 + [1]
    rig.clock.advance(seconds=15)
    assert (await worker.tick()).sent == 0  # still waiting
    rig.clock.advance(seconds=15)
    assert (await worker.tick()).sent == 20
    assert len(rig.connector.delivered("slow")) == 20


async def test_403_unsubscribes_the_conversation_and_cancels_its_rows(rig):
    rig.install("gone")
    rig.install("still-here")
    later = T0 + timedelta(days=1)
    rig.outbox().plan([item("a", "gone"), item("b", "gone", due=later), item("a", "still-here")])
    rig.connector.answer("gone", (403, {}))
    report = await rig.worker().tick()
    assert (report.sent, report.unsubscribed, report.failed) == (1, 1, 1)
    assert {s.conversation_id for s in rig.store.subscriptions()} == {"still-here"}
    box = rig.outbox()
    assert box.get("broadcast|a|gone").status == FAILED
    assert "403" in box.get("broadcast|a|gone").last_error
    assert box.get("broadcast|b|gone").status == CANCELLED
    rig.clock.now = later + timedelta(minutes=1)
    await rig.worker().tick()
    assert [p for p, _, _ in rig.connector.posts].count("/v3/conversations/gone/activities") == 1


async def test_an_uninstalled_conversation_is_not_sent_to(rig):
    rig.outbox().plan([item("a", "never-installed")])
    report = await rig.worker().tick()
    assert (report.sent, report.unsubscribed) == (0, 1)
    assert rig.connector.posts == []
    assert rig.outbox().get("broadcast|a|never-installed").status == FAILED


async def test_500_forever_fails_after_the_cap(rig):
    rig.install("c1")
    rig.outbox().plan([item("a")])
    rig.connector.answer("c1", *[(500, {})] * 10)
    worker = rig.worker()
    failed = 0
    for _ in range(10):
        failed += (await worker.tick()).failed
        rig.clock.advance(seconds=3)  # past the longest back-off (cap 2 s)
    assert failed == 1
    assert len(rig.connector.posts) == POLICY.max_attempts == 3
    row = rig.outbox().get("broadcast|a|c1")
    assert row.status == FAILED and "gave up after 3 attempts" in row.last_error


async def test_shutdown_finishes_the_send_under_way_and_releases_the_rest(rig):
    rig.install("c1")
    rig.outbox().plan([item(key) for key in ("a", "b", "c")])
    rig.connector.gate = asyncio.Event()
    worker = rig.worker(concurrency=1)
    worker.start()
    await asyncio.wait_for(rig.connector.arrived.wait(), 5)
    stopping = asyncio.create_task(worker.stop(timeout=5))
    await asyncio.sleep(0.05)
    assert not stopping.done()  # waits for the send under way
    rig.connector.gate.set()
    await stopping
    box = rig.outbox()
    rows = [box.get(f"broadcast|{key}|c1") for key in ("a", "b", "c")]
    assert [r.status for r in rows] == [SENT, PLANNED, PLANNED]
    assert [r.claimed_by for r in rows] == [None, None, None]
    assert [r.attempts for r in rows] == [1, 0, 0]
    assert len(rig.connector.delivered()) == 1
    # The next worker sends the released rows at once, not after the lease.
    report = await rig.worker().tick()
    assert report.sent == 2
    assert len(rig.connector.delivered()) == 3


async def test_a_big_batch_goes_out_in_one_tick_within_the_limits(rig):
    for n in range(3):
        rig.install(f"c{n}")
    rig.outbox().plan([item(f"m{k}", f"c{n}") for n in range(3) for k in range(60)])
    worker = rig.worker(batch=50)
    fake_now = fake_throttle(worker)
    report = await worker.tick()
    assert report.sent == 180
    assert len(rig.connector.delivered()) == 180
    # 60 to one conversation at 7/s take at least 8 s. A claim takes at most 7 rows of one
    # conversation, so the three go side by side (8 s; one after the other took 24 s).
    assert 8 <= fake_now[0] < 12


def fake_throttle(worker: Worker) -> list[float]:
    """Teams' limits on a fake clock that only its waits move; returns that clock (seconds)."""
    fake_now = [0.0]

    async def fake_sleep(seconds):
        fake_now[0] += seconds

    worker.throttle = Throttle(clock=lambda: fake_now[0], sleep=fake_sleep)
    return fake_now


async def test_a_reminder_planned_after_a_big_broadcast_is_not_kept_waiting(rig):
    """A broadcast to 300 conversations takes 6 s at 50 messages/s per tenant; a reminder
    planned just after it (its own kind) goes in the first claim, not behind the broadcast."""
    conversations = [f"c{n}" for n in range(300)]
    for conversation in [*conversations, "leaders"]:
        rig.install(conversation)
    rig.outbox().plan([item("invitation", c) for c in conversations])
    reminder = OutboxItem("deadline|r|leaders", "leaders", "deadline_reminder", "r", T0, {})
    rig.outbox().plan([reminder])
    worker = rig.worker(batch=50)
    fake_now = fake_throttle(worker)
    sent_at: dict[str, float] = {}
    send = worker.sender.send

    async def timed(delivery, record):
        sent_at[delivery.conversation_id] = fake_now[0]
        return await send(delivery, record)

    worker.sender.send = timed
    assert (await worker.tick()).sent == 301
    order = [activity["conversation"]["id"] for activity in rig.connector.delivered()]
    assert order.index("leaders") < 50  # in the first claim (it was message 301 of 301)
    assert sent_at["leaders"] < 1.0 < fake_now[0]  # at once (it was at 6 s), the broadcast 6 s


async def test_the_app_starts_and_stops_the_worker(tmp_path, shipped_handbook):
    config = Config.from_env({"DATA_DIR": str(tmp_path / "data"), "DELIVERY_TICK_SECONDS": "60"})
    app = create_app(config, handbook=shipped_handbook)
    async with TestClient(TestServer(app)):
        worker = app[WORKER]
        assert worker is not None and worker.settings.tick == timedelta(seconds=60)
        await asyncio.sleep(0)
    assert worker._task.done() and worker._task.exception() is None

    off = Config.from_env({"DATA_DIR": str(tmp_path / "off"), "DELIVERY_ENABLED": "false"})
    app = create_app(off, handbook=shipped_handbook)
    async with TestClient(TestServer(app)):
        assert WORKER not in app


class WallClock:
    """UTC that moves with real time from T0 (for the worker's own loop, which really waits)."""

    def __init__(self):
        self._start = time.monotonic()

    def __call__(self):
        return T0 + timedelta(seconds=time.monotonic() - self._start)


async def until(predicate, timeout: float = 10.0) -> None:
    """Wait for ``predicate`` (polling); the timeout is far below the workers' hour-long tick."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "not sent without waiting for a tick"
        await asyncio.sleep(0.02)


HOUR = timedelta(hours=1)  # the tick in these tests: anything sent sooner was not ticked


@pytest.fixture
async def live_rig(database_url, connector, tmp_path):
    """A rig on SQLite and on PostgreSQL whose clock moves with real time."""
    adapter = RutineAdapter(Config.from_env({"DATA_DIR": str(tmp_path)}))
    rig = Rig(migrated(database_url), WallClock(), connector, adapter)
    yield rig
    rig.close()
    await adapter.close()


async def test_a_row_planned_between_ticks_is_sent_when_the_worker_is_woken(live_rig):
    rig = live_rig
    for conversation in ("c1", "c2"):
        rig.install(conversation)
    worker = rig.worker(tick=HOUR)
    loop, pausing = asyncio.get_running_loop(), asyncio.Event()
    pause = worker._pause

    def pause_and_tell() -> float:  # the worker has ticked and chosen its pause (an hour)
        seconds = pause()
        loop.call_soon_threadsafe(pausing.set)
        return seconds

    worker._pause = pause_and_tell
    rig.outbox().plan([item("first", "c1")])
    worker.start()
    try:
        await asyncio.wait_for(pausing.wait(), 10)
        assert len(rig.connector.delivered()) == 1
        # Planned from a thread, as a feature does in a turn; the outbox's hook wakes the worker.
        outbox = Outbox(rig.store.engine, rig.clock, on_planned=worker.wake)
        await asyncio.to_thread(outbox.plan, [item("second", "c2")])
        await until(lambda: len(rig.connector.delivered("c2")) == 1)
        assert outbox.get("broadcast|second|c2").status == SENT
    finally:
        await worker.stop()


async def test_a_short_retry_after_is_retried_before_the_next_tick(live_rig):
    rig = live_rig
    rig.install("c1")
    rig.connector.answer("c1", (429, {"Retry-After": "1"}))
    rig.outbox().plan([item("throttled", "c1")])
    worker = rig.worker(tick=HOUR)
    worker.start()
    try:
        await until(lambda: len(rig.connector.delivered("c1")) == 1)
    finally:
        await worker.stop()
    assert [status for _, _, status in rig.connector.posts] == [429, 201]
    row = rig.outbox().get("broadcast|throttled|c1")
    assert (row.status, row.attempts) == (SENT, 2)


async def test_woken_workers_on_one_database_still_send_each_row_once(live_rig):
    """Three running workers (as three instances), each woken by every plan: claims decide."""
    rig = live_rig
    conversations = [f"c{n}" for n in range(6)]
    for conversation in conversations:
        rig.install(conversation)
    workers = [rig.worker(tick=HOUR, batch=5) for _ in range(3)]
    for worker in workers:
        worker.start()

    def wake_all():
        for worker in workers:
            worker.wake()

    outbox = Outbox(rig.store.engine, rig.clock, on_planned=wake_all)
    try:
        for round_ in range(4):
            items = [item(f"r{round_}-{k}", c) for c in conversations for k in range(3)]
            await asyncio.to_thread(outbox.plan, items)
        await until(lambda: len(rig.connector.delivered()) == 72)
        await asyncio.sleep(0.2)  # a second send of any row would show up now
    finally:
        for worker in workers:
            await worker.stop()
    keys = [(a["conversation"]["id"], a["text"]) for a in rig.connector.delivered()]
    assert len(keys) == len(set(keys)) == 72


async def test_a_ticket_planned_in_a_turn_wakes_the_apps_worker(
    tmp_path, shipped_handbook, connector
):
    """Through /api/messages: "Spør en fagperson" plans the ticket card in the turn, and the
    app's own worker (ticking hourly) sends it to the experts' channel at once."""
    config = Config.from_env(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "DELIVERY_TICK_SECONDS": "3600",
            "LEADER_AAD_IDS": "aad-lene",
        }
    )
    experts = "19:fagansvarlige@thread.tacv2"
    leader = {"id": "29:lene", "name": "Lene Leder", "aadObjectId": "aad-lene"}
    app = create_app(config, handbook=shipped_handbook, clock=lambda: NOW)
    async with TestClient(TestServer(app)) as client:
        choose = activity(
            connector,
            conversation_type="channel",
            conversation_id=f"{experts};messageid=m0",
            **{"from": leader, **mention("ekspertkanal")},
        )
        assert (await client.post("/api/messages", json=choose)).status == 200
        ask = {"rutinebot": tc.ASK_EXPERT, "question": "hva er lunsjmenyen", "closest": ""}
        press = activity(connector, None, value=ask, replyToId="card-1")
        assert (await client.post("/api/messages", json=press)).status == 200
        await until(
            lambda: any(
                a.get("attachments") and "lunsjmenyen" in str(a)
                for a in posts_to(connector, experts)
            )
        )


def posts_to(connector, conversation_id: str) -> list[dict]:
    return [a for _, a, _ in connector.posts if a["conversation"]["id"] == conversation_id]
