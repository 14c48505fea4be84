"""The owners' monthly digest: when it falls due, what it holds, planned once per month through
the outbox and sent by the worker (SQLite and PostgreSQL; scripted Bot Connector)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.config import Config
from bot.delivery.outbox import Outbox
from bot.delivery.sender import Sender
from bot.delivery.worker import Worker, planning
from bot.features.digest.cards import digest_card
from bot.features.digest.planner import DigestPlanner, due_at, first_working_day
from bot.features.digest.report import Digest
from bot.store import Store, UnansweredQuestion, VoteCount, create_db_engine
from bot.store.closures import REVIEW, Closures
from bot.store.designations import HANDBOOK_OWNER, Designations
from bot.store.tickets import Ticket, Tickets
from bot.teams.adapter import RutineAdapter
from handbook import Routine
from tests.delivery_fixtures import (
    Clock,
    migrated,
    record,
    scripted_connector,  # noqa: F401 (the connector fixture)
)

OWNER = "19:eiere@thread.tacv2"
# The first working day of December 2026 is Tuesday the 1st: 09:00 Oslo is 08:00 UTC.
DUE = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 12, date(2026, 12, 1)),  # a Tuesday
        (2027, 1, date(2027, 1, 4)),  # 1 January, then a weekend
        (2026, 5, date(2026, 5, 4)),  # 1 May is a Friday
        (2024, 4, date(2024, 4, 2)),  # 2. påskedag
        (2027, 5, date(2027, 5, 3)),  # 1 May on a Saturday
        (2026, 8, date(2026, 8, 3)),  # 1 August on a Saturday
    ],
)
def test_first_working_day(year, month, expected):
    assert first_working_day(year, month) == expected


def test_due_at_is_nine_oslo_time_summer_and_winter():
    assert due_at(datetime(2026, 12, 15, tzinfo=UTC)) == DUE
    assert due_at(datetime(2026, 6, 15, tzinfo=UTC)).astimezone(UTC) == datetime(
        2026, 6, 1, 7, 0, tzinfo=UTC
    )


def routine(rid: str, title: str, review_by: date) -> Routine:
    return Routine(
        id=rid,
        title=title,
        owner="Fagansvarlig sosiale tjenester",
        revised=date(2025, 10, 1),
        review_by=review_by,
        legal=(),
        sections=(),
        path=Path(f"{rid}.md"),
    )


HANDBOOK = SimpleNamespace(
    routines=[
        routine("klage", "Klage på vedtak", date(2026, 10, 1)),
        routine("journalforing", "Journalføring", date(2027, 9, 1)),
        routine("inhabilitet", "Inhabilitet", date(2026, 11, 30)),
    ]
)


@pytest.fixture
def clock():
    return Clock(datetime(2026, 10, 31, 12, 0, tzinfo=UTC))


@pytest.fixture
def store(database_url, clock):
    engine = create_db_engine(migrated(database_url))
    yield Store(engine, clock)
    engine.dispose()


def fill(store: Store, clock: Clock) -> None:
    """October, November and December activity; only November belongs in December's digest."""
    tickets = Tickets(store.engine, clock)
    store.record_unanswered("spørsmål i oktober", ("klage",), False, "personal")
    done = tickets.create("oktober-svar", (), "aad-kari", "a:1")
    tickets.take(done.id, "aad-per", "Per Ekspert")
    tickets.answer(done.id, "aad-per", "gammelt svar", True)
    clock.now = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
    store.record_unanswered("klage på avslag om strøm", ("klage", "inhabilitet"), False, "channel")
    store.record_unanswered("klagefrist ved nødhjelp", ("klage",), False, "personal")
    store.record_unanswered("hva er lunsjmenyen", (), False, "personal")
    store.record_vote("klage", "frister", "down", "personal")
    store.record_vote("klage", "frister", "down", "personal")
    store.record_vote("klage", "frister", "up", "personal")
    store.record_vote("journalforing", "", "up", "personal")
    for question, keep in (("kan vi bruke ny mal?", True), ("hvem har vakt?", False)):
        ticket = tickets.create(question, (), "aad-kari", "a:1")
        tickets.take(ticket.id, "aad-per", "Per Ekspert")
        tickets.answer(ticket.id, "aad-per", f"svar på {question}", keep)
    clock.now = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)  # December: next month's digest
    store.record_unanswered("spørsmål i desember", ("klage",), False, "personal")


def text_of(card: dict) -> str:
    parts = []
    for block in card["body"]:
        parts.append(str(block.get("text", "")))
        parts += [f"{f['title']}: {f['value']}" for f in block.get("facts", [])]
    return "\n".join(parts)


def test_digest_is_planned_once_when_due_with_last_months_content(store, clock):
    fill(store, clock)
    planner = DigestPlanner(store, HANDBOOK, clock)
    Designations(store.engine, clock).choose(HANDBOOK_OWNER, OWNER, "aad-lene")
    assert planner(datetime(2026, 12, 1, 7, 59, tzinfo=UTC)) == []
    [item] = planner(DUE)
    assert (item.dedupe_key, item.conversation_id, item.kind) == ("digest|2026-12", OWNER, "digest")
    assert item.due_at == DUE
    text = text_of(item.payload["card"])
    assert "November 2026" in text
    assert text.index("**Klage på vedtak** (2)") < text.index("**Ingen rutine i nærheten** (1)")
    assert "klage på avslag om strøm" in text and "hva er lunsjmenyen" in text
    assert "oktober" not in text and "desember" not in text.lower().replace("desember 2026", "")
    assert "Klage på vedtak: 2 ikke nyttig, 1 nyttig" in text
    assert "Journalføring:" not in text  # no "Ikke nyttig", and not overdue
    assert "kan vi bruke ny mal?" in text and "hvem har vakt?" not in text
    assert "gammelt svar" not in text
    overdue = text[text.index("Rutiner på overtid") :]
    assert overdue.index("Klage på vedtak") < overdue.index("Inhabilitet")
    assert item.payload["summary"].startswith("Månedsrapport for rutinehåndboka, november 2026: 3")
    Outbox(store.engine, clock).plan([item])
    assert planner(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)) == []  # once per month
    [january] = planner(datetime(2027, 1, 4, 8, 0, tzinfo=UTC))
    assert january.dedupe_key == "digest|2027-01"


def test_a_review_marked_done_is_not_listed_as_past_review(store, clock):
    """«Markér som gjennomgått» on Klage's review date of 1 October 2026 takes it off the
    list; Inhabilitet's is still overdue, and a closure of an older date of Inhabilitet does
    not count for its current one."""
    Designations(store.engine, clock).choose(HANDBOOK_OWNER, OWNER, "aad-lene")
    closures = Closures(store.engine, clock)
    closures.close(REVIEW, "klage", "2026-10-01", "aad-lene", "Lene Leder")
    closures.close(REVIEW, "inhabilitet", "2025-11-30", "aad-lene", "Lene Leder")
    [item] = DigestPlanner(store, HANDBOOK, clock)(DUE)
    text = text_of(item.payload["card"])
    overdue = text[text.index("Rutiner på overtid") :]
    assert "Inhabilitet" in overdue
    assert "Klage på vedtak" not in overdue
    # The same occurrence, closed as a deadline instead of a review, does not count.
    closures.close("deadline", "inhabilitet", "2026-11-30", "aad-lene", "Lene Leder")
    assert "Inhabilitet" in text_of(DigestPlanner(store, HANDBOOK, clock)(DUE)[0].payload["card"])


def test_routines_not_quality_assured_are_listed_with_what_is_missing_and_where(store, clock):
    """An imported routine whose owner and dates are still TODO is answered; the digest tells
    the owners what to fill in, file and line, and keeps it off the overdue list."""
    imported = replace(
        routine("tolk", "Tolk i samtaler", date(2026, 1, 1)),
        owner=None,
        revised=None,
        review_by=None,
        path=Path("rutiner/tolk.md"),
        missing_at=(("owner", 4), ("revised", 5), ("review_by", 6)),
    )
    handbook = SimpleNamespace(routines=[*HANDBOOK.routines, imported])
    Designations(store.engine, clock).choose(HANDBOOK_OWNER, OWNER, "aad-lene")
    [item] = DigestPlanner(store, handbook, clock)(DUE)
    text = text_of(item.payload["card"])
    section = text[text.index("Ikke kvalitetssikret ennå") :]
    assert (
        "Tolk i samtaler: eier (tolk.md:4), revisjonsdato (tolk.md:5), "
        "dato for neste gjennomgang (tolk.md:6)"
    ) in section
    assert "Klage på vedtak" not in section
    assert "Tolk i samtaler" not in text[text.index("Rutiner på overtid") : text.index(section)]
    assert item.payload["summary"].endswith("1 rutiner som ikke er kvalitetssikret.")


def test_no_owner_conversation_no_digest(store, clock):
    assert DigestPlanner(store, HANDBOOK, clock)(DUE) == []


def test_a_late_start_does_not_send_an_old_digest(store, clock):
    Designations(store.engine, clock).choose(HANDBOOK_OWNER, OWNER, "aad-lene")
    planner = DigestPlanner(store, HANDBOOK, clock, grace=timedelta(hours=6))
    assert len(planner(DUE + timedelta(hours=6))) == 1  # down all morning: sent late
    assert planner(DUE + timedelta(hours=6, minutes=1)) == []
    assert planner(datetime(2026, 12, 20, 9, 0, tzinfo=UTC)) == []


async def test_the_worker_sends_the_digest_once_and_survives_a_broken_planner(tmp_path, connector):
    clock = Clock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    engine = create_db_engine(migrated(f"sqlite:///{tmp_path / 'db.sqlite'}"))
    store = Store(engine, clock)
    store.save_conversation(record(OWNER, connector.url))
    store.record_unanswered("hva er lunsjmenyen", (), False, "personal")
    Designations(engine, clock).choose(HANDBOOK_OWNER, OWNER, "aad-lene")
    adapter = RutineAdapter(Config.from_env({"DATA_DIR": str(tmp_path)}))

    def broken(_now):
        raise RuntimeError("planner bug")

    worker = Worker(
        Outbox(engine, clock),
        store,
        Sender(adapter, clock=clock),
        clock=clock,
        sources=[planning(broken), planning(DigestPlanner(store, HANDBOOK, clock))],
    )
    try:
        assert (await worker.tick()).sent == 0  # 30 November: not yet
        clock.now = DUE
        assert (await worker.tick()).sent == 1
        clock.advance(minutes=1)
        assert (await worker.tick()).sent == 0
        [posted] = connector.delivered(OWNER)
        card = posted["attachments"][0]["content"]
        assert "hva er lunsjmenyen" in text_of(card)
        assert posted["summary"].startswith("Månedsrapport for rutinehåndboka, november 2026")
        assert Outbox(engine).get("digest|2026-12").activity_id == "m1"
    finally:
        await adapter.close()
        engine.dispose()


def test_a_busy_month_still_fits_in_a_teams_message():
    """Teams refuses messages over ~28 KB: the card shortens and caps what it lists."""
    since = datetime(2026, 11, 1, tzinfo=UTC)
    questions = {
        f"rutine-{r}": [
            UnansweredQuestion("ø" * 1000, (f"rutine-{r}",), False, "personal", since)
            for _ in range(30)
        ]
        for r in range(40)
    }
    answered = [
        Ticket(
            i,
            "spørsmål " * 100,
            (),
            "a",
            "c",
            None,
            "answered",
            "p",
            "Per",
            "svar " * 800,
            True,
            None,
            None,
            since,
            since,
            since,
        )
        for i in range(50)
    ]
    digest = Digest(
        since,
        datetime(2026, 12, 1, tzinfo=UTC),
        questions,
        [VoteCount(f"rutine-{r}", 1, 9) for r in range(5)],
        answered,
        [routine(f"rutine-{r}", "Tittel " * 20, date(2026, 1, 1)) for r in range(40)],
        [
            replace(
                routine(f"rutine-{r}", "Tittel " * 20, date(2026, 1, 1)),
                missing_at=(("owner", 4), ("revised", 5), ("review_by", 6), ("legal", 7)),
            )
            for r in range(40)
        ],
    )
    card = digest_card(digest, {})
    size = len(json.dumps({"attachments": [{"content": card}]}, ensure_ascii=False).encode())
    assert size < 24_000, size
    text = text_of(card)
    assert "… og 27 til" in text and "… og 32 rutiner til." in text and "… og 42 svar til." in text
