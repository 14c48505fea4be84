"""Several real bot processes on one database: crashes, restarts, shut-down, the handbook.

Each test starts ``python -m bot`` as subprocesses (tests/instance_fixtures.py) with a short
tick and lease, on the throwaway PostgreSQL (or a SQLite file), and points every stored
conversation at a recording Bot Connector in the test. Signals are real: SIGKILL leaves the
claims to the lease, SIGTERM runs the shut-down path. The processes use the real clock, so the
outbox rows are due "now" by the wall clock; nothing here asserts how fast anything was.
"""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import aiohttp
from sqlalchemy import select

from bot.delivery.outbox import EXPIRED, PLANNED, SENDING, SENT, Outbox
from bot.delivery.planner import PlannerSettings, plan_deliveries
from bot.delivery.worker import WorkerSettings
from bot.store import Store
from bot.store.schema import outbox
from schedule import OSLO
from schedule.loader import load
from schedule.upcoming import due_moments
from tests.conftest import ROOT, session_yaml
from tests.delivery_fixtures import record
from tests.instance_fixtures import (
    FIXTURE_HANDBOOK,
    BotProcess,
    RecordingConnector,
    broadcast,
    holders,
    status_counts,
    until,
)


async def _connector():
    return await RecordingConnector().start()


def _install(store: Store, connector: RecordingConnector, n: int, prefix: str) -> list[str]:
    ids = [f"19:{prefix}-{i:04d}@thread.tacv2" for i in range(n)]
    for cid in ids:
        store.save_conversation(record(cid, connector.url))
    return ids


async def _recorded(store: Store, connector: RecordingConnector) -> None:
    """With the connector holding its answers: until a send is held (so rows are being sent, not
    between two claims) and every message it answered is recorded as sent (so a kill now cannot
    leave one sent but unrecorded)."""
    await until(lambda: connector.held > 0, 30, "a send to be held")
    await until(
        lambda: status_counts(store.engine).get(SENT, 0) == connector.total,
        30,
        "the answered messages to be recorded",
    )


def _claimed_by(store: Store, worker: str) -> list[int]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(outbox.c.id).where(
                outbox.c.status == SENDING, outbox.c.claimed_by.contains(worker)
            )
        ).all()
    return [row.id for row in rows]


async def test_three_instances_share_a_broadcast_one_is_killed_each_gets_it_once(
    postgres_url, tmp_path
):
    connector = await _connector()
    bots = [BotProcess(tmp_path / f"bot{n}", DATABASE_URL=postgres_url) for n in range(3)]
    try:
        for bot in bots:  # all three at once on an empty database: one migrates, two wait
            bot.start()
        await asyncio.gather(*(bot.wait_healthy() for bot in bots))
        store = Store.open(postgres_url)
        ids = _install(store, connector, 500, "kontor")
        Outbox(store.engine).plan(broadcast(ids, 1, datetime.now(UTC)))

        # Mid-broadcast: hold the connector's answers, kill the instance holding most claims.
        await until(lambda: connector.total >= 120, 60, "the broadcast to get going")
        connector.hold()
        await _recorded(store, connector)
        claims = holders(store.engine)
        victim = max(bots, key=lambda b: sum(n for w, n in claims.items() if f"-{b.pid}-" in w))
        victim_rows = _claimed_by(store, f"-{victim.pid}-")
        assert victim_rows, f"the victim held no claims: {claims}"
        victim.kill()
        await asyncio.sleep(0.5)  # the connector notices the dead connections
        connector.release()

        await until(lambda: status_counts(store.engine).get(SENT) == 500, 60, "all 500 sent")
        assert connector.total == 500
        assert set(connector.delivered) == set(ids)
        assert set(connector.delivered.values()) == {1}
        # The killed instance's claims were taken over after its lease, by the others.
        with store.engine.connect() as conn:
            rows = conn.execute(
                select(outbox.c.status, outbox.c.attempts).where(outbox.c.id.in_(victim_rows))
            ).all()
        assert {tuple(row) for row in rows} == {(SENT, 2)}

        survivors = [bot for bot in bots if bot is not victim]
        assert await asyncio.gather(*(bot.terminate() for bot in survivors)) == [0, 0]
        store.close()
    finally:
        for bot in bots:
            bot.stop_quietly()
        await connector.stop()


async def test_a_sigterm_finishes_sends_under_way_and_releases_the_rest_at_once(
    postgres_url, tmp_path
):
    connector = await _connector()
    # The second instance has the default 5-minute lease: it can only take the rows at once
    # if the first released them.
    first = BotProcess(tmp_path / "first", DATABASE_URL=postgres_url)
    second = BotProcess(tmp_path / "second", DATABASE_URL=postgres_url)
    second.env["DELIVERY_LEASE_SECONDS"] = "300"
    try:
        first.start()
        await first.wait_healthy()
        store = Store.open(postgres_url)
        ids = _install(store, connector, 80, "sigterm")
        connector.hold()
        Outbox(store.engine).plan(broadcast(ids, 2, datetime.now(UTC)))
        in_flight = WorkerSettings().concurrency  # sends under way at once
        await until(lambda: connector.held == in_flight, 30, "the sends under way")
        assert status_counts(store.engine)[SENDING] == 50  # one batch claimed
        assert connector.total == 0

        first.process.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.5)
        assert first.process.poll() is None  # still finishing the sends under way
        connector.release()
        assert await first.exited() == 0

        counts = status_counts(store.engine)
        assert counts.get(SENT, 0) == connector.total == in_flight  # finished and recorded
        assert counts.get(SENDING, 0) == 0
        assert counts.get(PLANNED, 0) == 80 - connector.total  # released, not left to the lease
        with store.engine.connect() as conn:
            planned = conn.execute(
                select(outbox.c.claimed_by, outbox.c.lease_until).where(outbox.c.status == PLANNED)
            ).all()
        assert {tuple(row) for row in planned} == {(None, None)}
        assert "released" in first.log()

        second.start()
        await second.wait_healthy()
        await until(lambda: status_counts(store.engine).get(SENT) == 80, 30, "the rest sent")
        assert set(connector.delivered) == set(ids)
        assert set(connector.delivered.values()) == {1}
        assert await second.terminate() == 0
        store.close()
    finally:
        first.stop_quietly()
        second.stop_quietly()
        await connector.stop()


async def test_one_process_on_sqlite_killed_mid_broadcast_and_restarted(tmp_path):
    connector = await _connector()
    data = tmp_path / "data"
    url = f"sqlite:///{data / 'rutinebot.db'}"  # the default DATABASE_URL for this DATA_DIR
    store = Store.open(url)
    ids = _install(store, connector, 200, "sqlite")
    bot = BotProcess(data)
    restarted = BotProcess(data)
    restarted.port = bot.port
    try:
        bot.start()
        await bot.wait_healthy()
        Outbox(store.engine).plan(broadcast(ids, 3, datetime.now(UTC)))
        await until(lambda: connector.total >= 60, 60, "the broadcast to get going")
        connector.hold()
        await _recorded(store, connector)
        assert sum(holders(store.engine).values()) > 0
        bot.kill()
        await asyncio.sleep(0.5)  # the connector notices the dead connections
        connector.release()
        assert connector.total < 200

        restarted.env = bot.env  # the same DATA_DIR, database and port
        restarted.start()
        await restarted.wait_healthy()
        await until(lambda: status_counts(store.engine).get(SENT) == 200, 60, "all 200 sent")
        assert connector.total == 200
        assert set(connector.delivered) == set(ids)
        assert set(connector.delivered.values()) == {1}
        assert await restarted.terminate() == 0
    finally:
        bot.stop_quietly()
        restarted.stop_quietly()
        store.close()
        await connector.stop()


def _starts_soon(now: datetime) -> tuple[datetime, int]:
    """The first whole minute at least 10 minutes after ``now`` whose Oslo wall time names it
    (the schedule has no UTC offsets) and leaves a minute of the day for the session to end
    in; and how many minutes away it is. That is 10 minutes, except at 23:49 (23:59 is the
    day's last minute) and in the second pass of October's repeated hour (02:xx is read as
    the first pass), when it is the next minute that qualifies."""
    lead = 10
    while True:
        start = (now + timedelta(minutes=lead)).astimezone(OSLO)
        named = start.replace(fold=0)  # how "HH:MM" in the schedule is read
        if named.astimezone(UTC) == start.astimezone(UTC) and start.time() < time(23, 59):
            return start, lead
        lead += 1


async def test_reminders_due_while_all_instances_were_down(postgres_url, tmp_path):
    """Yesterday the instances planned a session's reminders (the day before, 15 minutes
    before); then all were down. The session starts in 10 minutes: the 15-minute reminder (due 5
    minutes ago, within the grace) is sent once, the day-before one (a day old) is reported.

    The processes run on the wall clock, so the session is placed from it (in UTC, so the
    arithmetic holds on the days the clocks change); on the rare minutes when "in 10 minutes"
    cannot be written in the schedule (:func:`_starts_soon`), the session starts a little
    later and the near reminder is that much earlier than 15 minutes, still 5 minutes ago."""
    connector = await _connector()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    start, lead = _starts_soon(now)
    near = lead + 5  # minutes before the start: due 5 minutes ago
    reminders = {"SESSION_REMINDER_MINUTES": f"1440,{near}"}  # 1440,15 (the default) but rarely
    planner = PlannerSettings(session_reminders=(timedelta(days=1), timedelta(minutes=near)))
    schedule_dir = tmp_path / "schedule"
    schedule_dir.mkdir()
    after = start + timedelta(minutes=30)
    end = f"{after:%H:%M}" if after.date() == start.date() else "23:59"  # ends the same day
    sessions = session_yaml(
        "fp-nede", start.date().isoformat(), start=f'"{start:%H:%M}"', end=f'"{end}"'
    )
    (schedule_dir / "sessions.yaml").write_text(f"sessions:\n{sessions}", "utf-8")
    yesterday = now - timedelta(days=1, hours=1)
    store = Store.open(postgres_url, clock=lambda: yesterday - timedelta(days=1))
    ids = _install(store, connector, 20, "nede")
    for cid in ids:
        store.subscribe(store.conversation(cid), ("fredagsprat",))
    schedule, problems = load(schedule_dir)
    assert not [p for p in problems if not p.warning], problems
    assert schedule.sessions[0].starts_at.astimezone(UTC) == start.astimezone(UTC)
    plan = plan_deliveries(due_moments(schedule), store.subscriptions(), yesterday, planner)
    Outbox(store.engine, clock=lambda: yesterday).plan(plan.items)
    assert len(plan.items) == 40  # two reminders to each of 20 conversations

    # The reminders planned yesterday are the subject here; the automatic invitation (on by
    # default, due as soon as a session is in the schedule) would add 20 more posts.
    settings = {"SCHEDULE_DIR": str(schedule_dir), "AUTO_INVITATION": "off", **reminders}
    bots = [
        BotProcess(tmp_path / f"bot{n}", DATABASE_URL=postgres_url, **settings) for n in range(2)
    ]
    try:
        for bot in bots:
            bot.start()
        await asyncio.gather(*(bot.wait_healthy() for bot in bots))
        await until(lambda: status_counts(store.engine).get(SENT) == 20, 30, "20 reminders sent")
        await until(lambda: status_counts(store.engine).get(EXPIRED) == 20, 30, "20 expired")
        assert connector.total == 20 and set(connector.delivered.values()) == {1}
        soon = "starter om 15 minutter." if near == 15 else f"kl. {start:%H:%M}."
        assert all(soon in connector.texts[cid][0] for cid in ids)
        with store.engine.connect() as conn:
            expired = conn.execute(
                select(outbox.c.dedupe_key).where(outbox.c.status == EXPIRED)
            ).all()
        assert all(row.dedupe_key.startswith("session_reminder|") for row in expired)
        assert all("|1d|" in row.dedupe_key for row in expired)

        report = subprocess.run(
            [sys.executable, "-m", "bot", "outbox", "--latest", "3"],
            env={**bots[0].env, "DATA_DIR": str(tmp_path / "report")},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        assert re.search(r"utløpt \(ikke sendt\) +20\n", report), report
        assert "Sist utløpt" in report and "session_reminder fp-nede" in report
        assert await asyncio.gather(*(bot.terminate() for bot in bots)) == [0, 0]
    finally:
        for bot in bots:
            bot.stop_quietly()
        store.close()
        await connector.stop()


async def _ask(bot: BotProcess, connector: RecordingConnector, question: str) -> str:
    conversation = f"a:personal-{uuid.uuid4().hex[:8]}"
    activity = {
        "type": "message",
        "id": uuid.uuid4().hex,
        "channelId": "msteams",
        "serviceUrl": connector.url,
        "from": {"id": "29:kari", "name": "Kari Veileder", "aadObjectId": "aad-kari"},
        "recipient": {"id": "28:rutinebot", "name": "Rutinebot"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": "t"},
        "channelData": {"tenant": {"id": "t"}},
        "text": question,
    }
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{bot.url}/api/messages", json=activity) as response:
            assert response.status < 300, await response.text()
    await until(lambda: conversation in connector.texts, 20, "the answer")
    return "\n".join(connector.texts[conversation])


async def test_each_instance_indexes_the_shared_handbook_and_sees_a_change(postgres_url, tmp_path):
    import shutil

    handbook = tmp_path / "handbook"
    shutil.copytree(FIXTURE_HANDBOOK, handbook)
    connector = await _connector()
    bots = [
        BotProcess(tmp_path / f"bot{n}", DATABASE_URL=postgres_url, HANDBOOK_DIR=str(handbook))
        for n in range(2)
    ]
    try:
        for bot in bots:
            bot.start()
        await asyncio.gather(*(bot.wait_healthy() for bot in bots))
        question = "hvordan behandler jeg en søknad om kvalifiseringsstønad fra en fange?"
        before = [await _ask(bot, connector, question) for bot in bots]
        assert not any("Fangestønad" in answer for answer in before)

        (handbook / "fangestonad.md").write_text(
            (Path(__file__).parent / "fixtures" / "instances_routine.md").read_text("utf-8"),
            "utf-8",
        )
        for bot in bots:  # each looks at the directory at most once a second
            for _ in range(40):
                if "Fangestønad" in await _ask(bot, connector, question):
                    break
                await asyncio.sleep(0.25)
            else:
                raise AssertionError(f"{bot.url} did not see the new routine:\n{bot.log()}")
        for bot in bots:  # each built its own index, in its own DATA_DIR
            assert (bot.data_dir / "index").is_dir()
        assert await asyncio.gather(*(bot.terminate() for bot in bots)) == [0, 0]
    finally:
        for bot in bots:
            bot.stop_quietly()
        await connector.stop()


async def test_a_second_instance_on_the_same_data_dir_refuses_to_start(tmp_path):
    first = BotProcess(tmp_path / "shared", DELIVERY_ENABLED="false")
    try:
        first.start()
        await first.wait_healthy()
        second = subprocess.run(
            [sys.executable, "-m", "bot"],
            env={**first.env, "PORT": "1"},  # it must stop before it binds anything
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 1
        assert "brukes allerede av en annen instans" in second.stderr
        first.process.send_signal(signal.SIGINT)  # Ctrl-C: the same graceful stop as SIGTERM
        assert await first.exited() == 0
        assert "ready:" in first.log() and "Traceback" not in first.log()
    finally:
        first.stop_quietly()
