"""The tickets repository on SQLite and a real PostgreSQL: first taker wins, only the taker
answers, identity numbers never stored, everything read back after a "restart"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import create_db_engine
from bot.store.tickets import ANSWERED, OPEN, TAKEN, Tickets
from tests.delivery_fixtures import T0, Clock, migrated

FNR = "15076500565"


@pytest.fixture
def url(database_url):
    return migrated(database_url)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def tickets(url, clock):
    engine = create_db_engine(url)
    yield Tickets(engine, clock)
    engine.dispose()


def test_create_strips_identity_numbers_and_keeps_the_thread(tickets):
    ticket = tickets.create(
        f"bruker {FNR} søkte om strøm", ("okonomisk-stonad",), "aad-kari", "19:c@thread", "root-1"
    )
    assert ticket.status == OPEN
    assert FNR not in ticket.question and "[fødselsnummer fjernet]" in ticket.question
    assert ticket.closest == ("okonomisk-stonad",)
    assert (ticket.asker_id, ticket.asker_conversation_id) == ("aad-kari", "19:c@thread")
    assert ticket.asker_activity_id == "root-1"
    assert ticket.created_at == T0


def test_first_taker_wins_and_taking_again_is_harmless(tickets):
    ticket = tickets.create("spørsmål", (), "aad-kari", "a:1")
    first = tickets.take(ticket.id, "aad-per", "Per Ekspert")
    second = tickets.take(ticket.id, "aad-eva", "Eva Ekspert")
    again = tickets.take(ticket.id, "aad-per", "Per Ekspert")
    assert first.ok and not second.ok and again.ok
    assert second.ticket.status == TAKEN
    assert (second.ticket.taken_by, second.ticket.taken_by_name) == ("aad-per", "Per Ekspert")
    assert not tickets.take(9999, "aad-per", "Per").ok
    assert tickets.take(9999, "aad-per", "Per").ticket is None


def test_only_the_taker_answers_once(tickets, clock):
    ticket = tickets.create("spørsmål", (), "aad-kari", "a:1")
    assert not tickets.answer(ticket.id, "aad-per", "for tidlig", False).ok  # not taken yet
    tickets.take(ticket.id, "aad-per", "Per Ekspert")
    assert not tickets.answer(ticket.id, "aad-eva", "mitt svar", False).ok
    clock.advance(hours=2)
    done = tickets.answer(ticket.id, "aad-per", f"Se rutinen, ikke lagre {FNR}.", True)
    assert done.ok and done.ticket.status == ANSWERED
    assert FNR not in done.ticket.answer and done.ticket.for_handbook
    assert done.ticket.answered_at == T0 + timedelta(hours=2)
    assert not tickets.answer(ticket.id, "aad-per", "igjen", False).ok
    assert tickets.get(ticket.id).answer.startswith("Se rutinen")


def test_state_survives_a_new_engine(url, tickets):
    ticket = tickets.create("spørsmål", ("klage",), "aad-kari", "a:1")
    tickets.take(ticket.id, "aad-per", "Per")
    tickets.card_shown(ticket.id, "card-1")
    tickets.card_shown(ticket.id, "card-2")  # the first id is kept
    engine = create_db_engine(url)
    try:
        again = Tickets(engine).get(ticket.id)
    finally:
        engine.dispose()
    assert (again.status, again.taken_by, again.card_activity_id) == (TAKEN, "aad-per", "card-1")


def test_unposted_pending_and_for_handbook(tickets, clock):
    a = tickets.create("a", (), "aad-kari", "a:1")
    b = tickets.create("b", (), "aad-kari", "a:1")
    tickets.posted(a.id, "19:experts")
    assert [t.id for t in tickets.unposted()] == [b.id]
    assert tickets.pending_for("aad-kari", "a:1", "b").id == b.id
    assert tickets.pending_for("aad-ola", "a:1", "b") is None
    tickets.take(b.id, "aad-per", "Per")
    tickets.answer(b.id, "aad-per", "svar", True)
    tickets.take(a.id, "aad-per", "Per")
    tickets.answer(a.id, "aad-per", "svar", False)
    assert tickets.pending_for("aad-kari", "a:1", "b") is None  # answered: may ask again
    assert [t.id for t in tickets.for_handbook(T0, T0 + timedelta(days=1))] == [b.id]
    assert tickets.for_handbook(T0 + timedelta(days=1), T0 + timedelta(days=2)) == []
    assert [t.id for t in tickets.all()] == [b.id, a.id]
