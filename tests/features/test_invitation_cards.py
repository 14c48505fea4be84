"""The invitation, form and report cards as pure functions, on the shipped schedule."""

from __future__ import annotations

import dataclasses
import json

import pytest

from bot.chat import card_actions as ca
from bot.features.invitations import cards as ic
from bot.features.invitations.feature import find_session, upcoming
from bot.store.broadcasts import Report
from schedule import SHIPPED_DIR, ScheduleStore, SessionStatus, Slot
from tests.bot_fixtures import NOW

BASE = "https://rutinebot.example.no"


@pytest.fixture(scope="module")
def sessions():
    return upcoming(ScheduleStore(SHIPPED_DIR).schedule, NOW)


def texts(card: dict) -> list[str]:
    return [b.get("text", "") for b in card["body"]]


def test_invitation_card_has_when_topic_links_note_and_answers(sessions):
    session = sessions[0]
    card = ic.invitation_card(session, BASE + "/", broadcast_id=7, note="Vel møtt!", sent_by="Lene")
    facts = {f["title"]: f["value"] for f in card["body"][2]["facts"]}
    assert facts == {
        "Når": "Fredag 27. november 2026",
        "Tid": "kl. 12:00–13:00",
        "Tema": session.topic,
    }
    assert "Hilsen fra Lene: Vel møtt!" in texts(card)
    answers = [a for b in card["body"] for a in b.get("actions", [])]
    assert [a["title"] for a in answers] == ["Jeg kommer", "Kan ikke"]
    assert answers[0]["data"] == {
        ca.ACTION: ic.RSVP,
        "session": session.id,
        "broadcast": 7,
        "answer": "yes",
    }
    links = {a["title"]: a["url"] for a in card["actions"]}
    assert links["Legg til i kalender"] == f"{BASE}/calendar/fredagsprat/{session.id}.ics"
    assert links["Bli med i Teams-møtet"] == session.join_url
    assert card["fallbackText"].startswith("Invitasjon til Fredagsprat fredag 27. november 2026")
    assert len(json.dumps(card)) < 28_000


def test_answered_card_says_what_was_answered_and_keeps_the_buttons(sessions):
    answered = ic.answered_text("no", "Kari", personal=False)
    card = ic.invitation_card(sessions[0], BASE, answered=answered)
    assert "Kari svarte: Kan ikke. Alle kan svare med knappene." in texts(card)
    assert "Kommer du?" not in texts(card)
    assert ic.answered_text("yes", "Kari", personal=True).startswith("Du har svart: Jeg kommer")
    assert ic.answered_text("yes", "", personal=False).startswith("Du har svart")


def test_a_moved_session_says_so(sessions):
    session = sessions[0]
    old = session.slot
    moved = dataclasses.replace(
        session,
        status=SessionStatus.MOVED,
        moved_to=Slot(old.date.replace(day=20), old.start, old.end),
    )
    card = ic.invitation_card(moved, BASE)
    assert "Fredag 20. november 2026" in json.dumps(card, ensure_ascii=False)
    assert "Flyttet fra fredag 27. november 2026." in texts(card)


def test_form_lists_the_sessions_and_preselects(sessions):
    card = ic.form_card(sessions, sessions[2].id)
    choice = card["body"][2]
    assert choice["value"] == sessions[2].id
    assert [c["value"] for c in choice["choices"]] == [s.id for s in sessions]
    assert choice["choices"][0]["title"].startswith("fre. 27.11.2026 – ")
    assert ic.form_card(sessions, "unknown")["body"][2]["value"] == sessions[0].id


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("27.11", "fredagsprat-2026-11"),
        ("27.11.26", "fredagsprat-2026-11"),
        ("27/11/2026", "fredagsprat-2026-11"),
        ("2027-01-29", "fredagsprat-2027-01"),
        ("FREDAGSPRAT-2027-01", "fredagsprat-2027-01"),
        ("28.11", None),
        ("i morgen", None),
        ("30.10.2026", None),  # over
    ],
)
def test_find_session_by_date_or_id(sessions, argument, expected):
    found = find_session(sessions, argument)
    assert (found.id if found else None) == expected


def report(**counts) -> Report:
    values = dict(planned=3, delivered=1, failed=1, waiting=1, failures=(), coming=2, not_coming=1)
    return Report(**{**values, **counts})


def test_report_card_counts_and_status(sessions):
    card = ic.report_card(sessions[0], report(), [("kanal", "avvist av Teams (HTTP 400)")])
    facts = {f["title"]: f["value"] for f in card["body"][3]["facts"]}
    assert facts == {
        "Samtaler": "3",
        "Levert": "1",
        "Feilet": "1",
        "Venter": "1",
        "Kommer": "2",
        "Kan ikke": "1",
    }
    assert "Invitasjonen sendes nå." in texts(card)
    assert "Ikke levert (kanal): avvist av Teams (HTTP 400)" in texts(card)
    done = ic.report_card(sessions[0], report(waiting=0))
    assert "Ferdig sendt." in texts(done)
    empty = ic.report_card(sessions[0], report(planned=0, delivered=0, failed=0, waiting=0))
    assert texts(empty)[2].startswith("Ingen kanaler eller chatter abonnerer")
    assert ic.report_text(sessions[0], report()) == (
        "Invitasjon til Fredagsprat fre. 27.11.2026: 1 av 3 levert, 2 kommer"
    )


@pytest.mark.parametrize(
    ("status", "error", "reason"),
    [
        ("expired", "expired unsent at …", "ikke sendt i tide"),
        ("cancelled", "", "avlyst"),
        ("failed", "bot removed from the conversation (HTTP 403)", "boten er fjernet fra samtalen"),
        ("failed", "conversation unknown (bot uninstalled)", "boten er fjernet fra samtalen"),
        ("failed", "HTTP 400", "avvist av Teams (HTTP 400)"),
        ("failed", "TimeoutError: (gave up after 8 attempts)", "feil ved sending"),
    ],
)
def test_failure_reasons_are_short_and_norwegian(status, error, reason):
    assert ic.failure_reason(status, error) == reason
