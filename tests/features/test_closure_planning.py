"""Closures, review reminders and session change notices through the worker: a controllable
clock, a scripted Bot Connector, and each test on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.config import Config
from bot.delivery.closing import withdraw_closed
from bot.delivery.outbox import CANCELLED, PLANNED, SENT, Outbox
from bot.delivery.planner import DEADLINE_OVERDUE, DEADLINE_REMINDER, FREDAGSPRAT, FRISTER
from bot.delivery.reviews import ReviewSource
from bot.delivery.sender import Sender
from bot.delivery.session_notices import SessionNoticeSource
from bot.delivery.throttle import Throttle
from bot.delivery.worker import Worker
from bot.store import Store, create_db_engine
from bot.store.closures import DEADLINE, REVIEW, Closures
from bot.store.designations import HANDBOOK_OWNER, Designations, owner_role
from bot.teams.adapter import RutineAdapter
from handbook.model import Routine
from schedule import ScheduleStore
from schedule.model import OSLO
from tests.card_support import block_text
from tests.conftest import deadline_yaml, session_yaml
from tests.delivery_fixtures import (
    Clock,
    ScriptedConnector,
    migrated,
    record,
    scripted_connector,  # noqa: F401 (the connector fixture)
)

LEADERS = "19:leaders@thread.tacv2"


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO).astimezone(UTC)


class Rig:
    """Workers on one database, as the bot after restarts (or several instances)."""

    def __init__(self, url: str, connector: ScriptedConnector, adapter, directory: Path):
        self.url, self.connector, self.adapter, self.directory = url, connector, adapter, directory
        self.clock = Clock(oslo(2026, 11, 23, 8, 0))
        self.engines = []
        self.store = self.new_store()
        self.routines: list[Routine] = []
        directory.mkdir()

    def new_store(self) -> Store:
        engine = create_db_engine(self.url)
        self.engines.append(engine)
        return Store(engine, self.clock)

    def write(self, sessions: str = "", deadlines: str = "") -> None:
        (self.directory / "plan.yaml").write_text(
            (f"sessions:\n{sessions}" if sessions else "")
            + (f"deadlines:\n{deadlines}" if deadlines else ""),
            "utf-8",
        )

    def worker(self) -> Worker:
        store = self.new_store()
        closures = Closures(store.engine, self.clock)
        directory = self.directory

        async def schedule():
            return ScheduleStore(directory).schedule

        reviews = ReviewSource(
            lambda: self.routines, Designations(store.engine, self.clock), closures
        )
        return Worker(
            Outbox(store.engine, self.clock),
            store,
            Sender(self.adapter, clock=self.clock),
            schedule,
            throttle=Throttle(enabled=False),
            clock=self.clock,
            closures=closures,
            sources=(SessionNoticeSource(store), reviews),
        )

    def outbox(self) -> Outbox:
        return Outbox(self.store.engine, self.clock)

    def closures(self) -> Closures:
        return Closures(self.store.engine, self.clock)

    def install(self, conversation_id: str, topics=(FRISTER,)) -> None:
        self.store.subscribe(record(conversation_id, self.connector.url), topics)

    def sent(self, conversation_id: str | None = None) -> list[dict]:
        return self.connector.delivered(conversation_id)

    def close(self) -> None:
        for engine in self.engines:
            engine.dispose()


@pytest.fixture
async def rig(database_url, connector, tmp_path):
    adapter = RutineAdapter(Config.from_env({"DATA_DIR": str(tmp_path / "data")}))
    rig = Rig(migrated(database_url), connector, adapter, tmp_path / "schedule")
    yield rig
    rig.close()
    await adapter.close()


def card_texts(activity: dict) -> str:
    [attachment] = activity["attachments"]
    return block_text(attachment["content"])


# -- deadlines ---------------------------------------------------------------------------------


async def test_a_closed_deadline_gets_no_more_reminders_also_after_a_restart(rig):
    rig.write(
        deadlines=deadline_yaml("tiltak-a", start="2026-11-01", evaluate_by="2026-12-15")
        + deadline_yaml("tiltak-b", start="2026-11-01", evaluate_by="2026-12-15")
    )
    rig.install(LEADERS)
    rig.clock.now = oslo(2026, 12, 1, 8, 1)  # the 14-day reminders
    assert (await rig.worker().tick()).sent == 2
    card = rig.sent()[0]["attachments"][0]["content"]
    [close] = [a for a in card["actions"] if a["type"] == "Action.ShowCard"]
    assert close["title"] == "Markér som evaluert"
    assert close["card"]["body"][0]["type"] == "Input.Text"

    rig.closures().close(DEADLINE, "tiltak-a", "2026-12-15", "aad-lene", "Lene Leder", "Ok")
    restarted = rig.worker()  # a new process: only the database remembers the closure
    rig.clock.now = oslo(2026, 12, 8, 8, 1)  # the 7-day reminders
    report = await restarted.tick()
    assert report.sent == 1 and report.withdrawn >= 3  # 7d, 1d, overdue of tiltak-a
    assert "tiltak-a" not in str(rig.sent()[-1])
    for day, hour in ((14, 8), (16, 8)):  # the 1-day reminder and the overdue notice
        rig.clock.now = oslo(2026, 12, day, hour, 1)
        await rig.worker().tick()
    titles = [
        d.item_id
        for d in rig.outbox().find([DEADLINE_REMINDER, DEADLINE_OVERDUE], ["tiltak-a", "tiltak-b"])
        if d.status == SENT
    ]
    assert titles.count("tiltak-a") == 1  # only the 14-day one, before the closure
    assert titles.count("tiltak-b") == 4  # 14, 7 and 1 day before, and overdue


async def test_the_overdue_notice_is_a_card_with_the_button(rig):
    rig.write(deadlines=deadline_yaml("tiltak-c", start="2026-11-01", evaluate_by="2026-11-30"))
    rig.install(LEADERS)
    rig.clock.now = oslo(2026, 12, 1, 8, 1)
    await rig.worker().tick()
    [overdue] = [a for a in rig.sent() if "passert" in card_texts(a)]
    assert "ikke markert som evaluert" in overdue["summary"]
    assert "text" not in overdue
    actions = overdue["attachments"][0]["content"]["actions"]
    assert actions[0]["card"]["actions"][0]["data"] == {
        "rutinebot": "close_item",
        "kind": "deadline",
        "item_id": "tiltak-c",
        "occurrence": "2026-11-30",
    }


async def test_closing_withdraws_the_planned_reminders_at_once(rig):
    rig.write(deadlines=deadline_yaml("tiltak-d", start="2026-11-01", evaluate_by="2026-12-15"))
    rig.install(LEADERS)
    await rig.worker().tick()
    planned = rig.outbox().find([DEADLINE_REMINDER, DEADLINE_OVERDUE], ["tiltak-d"])
    assert len(planned) == 4 and {d.status for d in planned} == {PLANNED}
    closure, new = rig.closures().close(DEADLINE, "tiltak-d", "2026-12-15", "aad-lene", "Lene", "")
    assert new
    assert withdraw_closed(rig.outbox(), closure.key, "closed") == 4
    after = rig.outbox().find([DEADLINE_REMINDER, DEADLINE_OVERDUE], ["tiltak-d"])
    assert {d.status for d in after} == {CANCELLED}


# -- Fredagsprat changes -----------------------------------------------------------------------


async def test_a_move_and_a_cancellation_are_announced_once_each(rig):
    first = session_yaml("fp-des", "2026-12-11")
    second = session_yaml("fp-jan", "2027-01-08")
    rig.write(sessions=first + second)
    rig.install("19:office@thread.tacv2", (FREDAGSPRAT,))
    rig.install(LEADERS, (FRISTER,))  # not subscribed to Fredagsprat: hears nothing
    assert (await rig.worker().tick()).sent == 0  # reminders planned for 10 December
    old = rig.outbox().find(["session_reminder"], ["fp-des"])
    assert {d.status for d in old} == {PLANNED}

    rig.clock.advance(hours=1)
    rig.write(
        sessions=session_yaml(
            "fp-des", "2026-12-11", status="moved", moved_to="{date: 2026-12-18}", revision="1"
        )
        + session_yaml("fp-jan", "2027-01-08", status="cancelled", revision="1")
    )
    await rig.worker().tick()
    [moved] = [a["text"] for a in rig.sent() if "flyttet" in a["text"]]
    assert [a["text"] for a in rig.sent() if "avlyst" in a["text"]] == [
        "Fredagsprat fredag 8. januar 2027 er avlyst."
    ]
    assert moved.startswith(
        "Fredagsprat fredag 11. desember 2026 er flyttet til fredag 18. desember 2026 kl. "
        "12:00–13:00."
    )
    assert {a["conversation"]["id"] for a in rig.sent()} == {"19:office@thread.tacv2"}
    # The reminders for the old time and for the cancelled session are withdrawn.
    assert {d.status for d in rig.outbox().find(["session_reminder"], ["fp-jan"])} == {CANCELLED}
    assert {rig.outbox().get(d.dedupe_key).status for d in old} == {CANCELLED}

    for _ in range(2):  # again, and after a restart: nothing new
        rig.clock.advance(minutes=1)
        assert (await rig.worker().tick()).sent == 0
    assert len(rig.sent()) == 2

    # A second move notifies again; two instances planning at once send it once.
    rig.write(
        sessions=session_yaml(
            "fp-des", "2026-12-11", status="moved", moved_to="{date: 2026-12-17}", revision="2"
        )
        + session_yaml("fp-jan", "2027-01-08", status="cancelled", revision="1")
    )
    reports = await asyncio.gather(rig.worker().tick(), rig.worker().tick())
    assert sum(r.sent for r in reports) == 1
    assert "flyttet til torsdag 17. desember 2026" in rig.sent()[-1]["text"]
    assert "fredag 18. desember 2026 er flyttet" in rig.sent()[-1]["text"]


async def test_a_session_moved_back_is_announced_again(rig):
    rig.write(sessions=session_yaml("fp", "2026-12-11"))
    rig.install("c", (FREDAGSPRAT,))
    await rig.worker().tick()
    moved = session_yaml("fp", "2026-12-11", status="moved", moved_to="{date: 2026-12-18}")
    rig.write(sessions=moved)
    await rig.worker().tick()
    rig.write(sessions=session_yaml("fp", "2026-12-11", revision="2"))
    await rig.worker().tick()
    await rig.worker().tick()
    assert [a["text"].split(" kl.")[0] for a in rig.sent()] == [
        "Fredagsprat fredag 11. desember 2026 er flyttet til fredag 18. desember 2026",
        "Fredagsprat fredag 18. desember 2026 er flyttet til fredag 11. desember 2026",
    ]


async def test_a_session_the_bot_never_planned_for_is_not_announced(rig):
    # Further ahead than the planning window: nothing was planned, so nothing to correct.
    rig.write(sessions=session_yaml("fp-mai", "2027-05-28"))
    rig.install("c", (FREDAGSPRAT,))
    await rig.worker().tick()
    rig.write(sessions=session_yaml("fp-mai", "2027-05-28", status="cancelled", revision="1"))
    assert (await rig.worker().tick()).sent == 0


# -- routine reviews ---------------------------------------------------------------------------


def routine(routine_id: str, owner: str, review_by: date) -> Routine:
    return Routine(
        id=routine_id,
        title=f"Rutine {routine_id}",
        owner=owner,
        revised=date(2026, 1, 10),
        review_by=review_by,
        legal=(),
        sections=(),
        path=Path(f"{routine_id}.md"),
    )


async def test_review_reminders_reach_the_owner_once_each_and_stop_when_reviewed(rig):
    rig.write()
    rig.routines = [
        routine("r1", "Fagansvarlig sosiale tjenester", date(2027, 1, 10)),
        routine("r2", "Fagansvarlig sosiale tjenester", date(2027, 1, 12)),
        routine("r3", "Nav-leder", date(2027, 1, 10)),  # no channel of its own: the fallback
    ]
    designations = Designations(rig.store.engine, rig.clock)
    designations.choose(owner_role("fagansvarlig  SOSIALE tjenester"), "19:fag", "aad-lene")
    designations.choose(HANDBOOK_OWNER, "19:handbok", "aad-lene")
    for conversation in ("19:fag", "19:handbok"):
        rig.store.save_conversation(record(conversation, rig.connector.url))
    rig.closures().close(REVIEW, "r2", "2027-01-12", "aad-lene", "Lene Leder", "")

    assert (await rig.worker().tick()).sent == 0  # 23 November: nothing due yet
    rig.clock.now = oslo(2026, 12, 11, 8, 1)  # 30 days before 10 January
    assert (await rig.worker().tick()).sent == 2
    assert {a["conversation"]["id"] for a in rig.sent()} == {"19:fag", "19:handbok"}
    fag = rig.sent("19:fag")[0]
    assert "Rutinen skal gjennomgås" in card_texts(fag)
    assert fag["summary"] == "Rutinen «Rutine r1» skal gjennomgås innen søndag 10. januar 2027."
    for _ in range(2):  # the next tick, and a restart
        rig.clock.advance(minutes=1)
        assert (await rig.worker().tick()).sent == 0

    # r3 is marked as reviewed after its first reminder: its overdue reminder is withdrawn.
    rig.closures().close(REVIEW, "r3", "2027-01-10", "aad-lene", "Lene Leder", "")
    rig.clock.now = oslo(2027, 1, 11, 8, 1)  # the day after: past review
    assert (await rig.worker().tick()).sent == 1
    assert len(rig.sent("19:handbok")) == 1
    overdue = rig.sent("19:fag")[-1]
    assert "skulle vært gjennomgått" in card_texts(overdue)
    [button, _show] = overdue["attachments"][0]["content"]["actions"]
    assert button["title"] == "Markér som gjennomgått"
    assert button["data"] == {
        "rutinebot": "close_review",
        "routine_id": "r1",
        "review_by": "2027-01-10",
    }
    rig.clock.advance(days=1)
    assert (await rig.worker().tick()).sent == 0
    assert "r2" not in str(rig.sent())  # reviewed before its reminders: none at all


async def test_a_routine_long_past_review_reminds_at_once_then_never_after_reviewed(rig):
    rig.write()
    rig.routines = [routine("gammel", "Nav-leder", date(2025, 6, 1))]
    Designations(rig.store.engine, rig.clock).choose(owner_role("Nav-leder"), "19:ledere", "x")
    rig.store.save_conversation(record("19:ledere", rig.connector.url))
    assert (await rig.worker().tick()).sent == 1  # overdue since June 2025: remind now, once
    rig.closures().close(REVIEW, "gammel", "2025-06-01", "aad-lene", "Lene Leder", "")
    rig.clock.advance(days=400)
    assert (await rig.worker().tick()).sent == 0
    # The file gets a new review date: reminders for that date.
    rig.routines = [routine("gammel", "Nav-leder", date(2027, 12, 1))]
    rig.clock.now = oslo(2027, 11, 1, 8, 1)
    assert (await rig.worker().tick()).sent == 1


async def test_the_first_closure_stands(rig):
    closures = rig.closures()
    first, new = closures.close(DEADLINE, "t", "2026-12-15", "aad-a", "Anne", "Første")
    rig.clock.advance(minutes=5)
    second, again = closures.close(DEADLINE, "t", "2026-12-15", "aad-b", "Bjørn", "Andre")
    assert (new, again) == (True, False)
    assert second == first and second.closed_by_name == "Anne" and second.note == "Første"
    assert second.closed_at == oslo(2026, 11, 23, 8, 0)
    assert closures.closed() == {(DEADLINE, "t", "2026-12-15")}
    # Another occurrence of the same item is a closure of its own.
    assert closures.close(DEADLINE, "t", "2027-06-15", "aad-b", "Bjørn")[1]
