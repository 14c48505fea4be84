"""Broadcasts, answers and topic proposals on SQLite and a real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.delivery.outbox import Outbox, OutboxItem
from bot.store import create_db_engine
from bot.store.broadcasts import KIND, NO, YES, Broadcasts, dedupe_key, item_id
from bot.store.topic_proposals import TopicProposals
from tests.delivery_fixtures import T0, Clock, migrated


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def engine(database_url):
    engine = create_db_engine(migrated(database_url))
    yield engine
    engine.dispose()


@pytest.fixture
def repo(engine, clock):
    return Broadcasts(engine, clock)


def test_a_broadcast_round_trips_and_is_found_by_its_report_card(repo):
    made = repo.create("fredagsprat-2026-11", "aad-lene", "Vi ses!", "a:leader", "form-1")
    assert made.id > 0 and made.created_at == T0
    assert repo.get(made.id) == made
    assert repo.by_report("a:leader", "form-1") == made
    assert repo.by_report("a:leader", "form-2") is None
    assert repo.by_report("a:leader", "") is None
    other = repo.create("fredagsprat-2026-11", "aad-lene")
    repo.create("fredagsprat-2027-01", "aad-lene")
    assert [b.id for b in repo.for_session("fredagsprat-2026-11")] == [made.id, other.id]
    assert repo.get(99999) is None


def test_the_latest_answer_wins_and_each_person_counts_once(repo, clock):
    session = "fredagsprat-2026-11"
    repo.answer(session, "aad-kari", YES)
    repo.answer(session, "aad-ola", YES)
    repo.answer(session, "aad-per", NO)
    clock.advance(minutes=5)
    repo.answer(session, "aad-kari", NO)
    repo.answer("fredagsprat-2027-01", "aad-kari", YES)
    assert repo.answers(session) == {YES: 1, NO: 2}
    assert repo.answer_of(session, "aad-kari") == NO
    assert repo.answer_of(session, "aad-nobody") is None
    with pytest.raises(ValueError):
        repo.answer(session, "aad-kari", "maybe")


def test_the_report_counts_deliveries_by_outcome_and_the_answers(repo, engine, clock):
    outbox = Outbox(engine, clock)
    broadcast = repo.create("fredagsprat-2026-11", "aad-lene")
    other = repo.create("fredagsprat-2026-11", "aad-lene")
    conversations = ["c-sent", "c-failed", "c-waiting", "c-expired"]
    items = [
        OutboxItem(dedupe_key(b.id, c), c, KIND, item_id(b.id), T0, {"text": "x"})
        for b in (broadcast, other)
        for c in conversations
    ]
    assert outbox.plan(items) == 8
    assert outbox.plan(items) == 0  # one row per (broadcast, conversation)
    claimed = {d.dedupe_key: d for d in outbox.claim("w1", T0 + timedelta(seconds=1), 10)}
    outbox.mark_sent(claimed[dedupe_key(broadcast.id, "c-sent")], "m1")
    outbox.mark_failed(claimed[dedupe_key(broadcast.id, "c-failed")], "HTTP 400: bad request")
    outbox.release("w1")
    clock.advance(hours=7)
    expired = outbox.expire_older_than(timedelta(hours=6))
    assert len(expired) == 6  # everything still planned, of both broadcasts
    repo.answer("fredagsprat-2026-11", "aad-kari", YES)
    report = repo.report(broadcast)
    assert (report.planned, report.delivered, report.failed, report.waiting) == (4, 1, 3, 0)
    assert (report.coming, report.not_coming) == (1, 0)
    assert {(f.conversation_id, f.status) for f in report.failures} == {
        ("c-failed", "failed"),
        ("c-waiting", "expired"),
        ("c-expired", "expired"),
    }
    assert "HTTP 400" in next(f.error for f in report.failures if f.status == "failed")


def test_waiting_rows_are_planned_and_sending_ones(repo, engine, clock):
    outbox = Outbox(engine, clock)
    broadcast = repo.create("fredagsprat-2026-11", "aad-lene")
    outbox.plan(
        [
            OutboxItem(dedupe_key(broadcast.id, c), c, KIND, item_id(broadcast.id), T0, {})
            for c in ("a", "b")
        ]
    )
    outbox.claim("w1", T0, 1)
    report = repo.report(broadcast)
    assert (report.planned, report.waiting, report.delivered, report.failed) == (2, 2, 0, 0)


def test_topic_proposals_are_kept_newest_first(engine, clock):
    proposals = TopicProposals(engine, clock)
    first = proposals.add("Klagebehandling", "aad-kari", "a:personal")
    clock.advance(minutes=1)
    second = proposals.add("x" * 5000, "aad-ola", "19:channel")
    assert len(second.text) == 1000
    latest = proposals.latest()
    assert [p.id for p in latest] == [second.id, first.id]
    assert latest[1].text == "Klagebehandling" and latest[1].created_at == T0
    assert latest[1].proposed_by == "aad-kari" and latest[1].conversation_id == "a:personal"
