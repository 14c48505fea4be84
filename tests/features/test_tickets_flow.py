"""'Spør en fagperson' through the bot's HTTP endpoint, with the recording Bot Connector, an
outbox worker ticked by hand and a clock that moves only when told to."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.__main__ import main
from bot.app import RUNTIME, create_app
from bot.config import Config
from bot.delivery.outbox import Delivery, Outbox
from bot.delivery.sender import Sender, build_activity
from bot.delivery.worker import Worker
from bot.features.tickets import cards as tc
from bot.features.tickets import feature
from bot.store.designations import EXPERTS, Designations
from bot.store.tickets import Tickets
from bot.teams.adapter import RutineAdapter
from tests.bot_fixtures import CONTACT, activity, mention
from tests.card_support import submit_data as buttons
from tests.card_support import text_with_facts as text_of
from tests.delivery_fixtures import Clock, claimed, record

LEADER = {"id": "29:lene", "name": "Lene Leder", "aadObjectId": "aad-lene"}
PER = {"id": "29:per", "name": "Per Ekspert", "aadObjectId": "aad-per"}
KARI = {"id": "29:kari", "name": "Kari Veileder", "aadObjectId": "aad-kari"}
EVA = {"id": "29:eva", "name": "Eva Ekspert", "aadObjectId": "aad-eva"}
EXPERT_CHANNEL = "19:fagansvarlige@thread.tacv2"
OFFICE = "19:kontoret@thread.tacv2"
NO_ANSWER = "hva er lunsjmenyen i kantina på fredag"
FNR = "15076500565"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
async def app_client(tmp_path, shipped_handbook, clock):
    config = Config.from_env(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "HANDBOOK_CONTACT": CONTACT,
            "DELIVERY_ENABLED": "false",  # the test ticks the worker itself
            "LEADER_AAD_IDS": "aad-lene, aad-other",
        }
    )
    client = TestClient(TestServer(create_app(config, handbook=shipped_handbook, clock=clock)))
    await client.start_server()
    adapter = RutineAdapter(config)
    runtime = client.server.app[RUNTIME]
    worker = Worker(
        Outbox(runtime.store.engine, clock),
        runtime.store,
        Sender(adapter, clock=clock),
        clock=clock,
    )
    yield client, worker
    await adapter.close()
    await client.close()


async def post(client, body: dict) -> None:
    response = await client.post("/api/messages", json=body)
    assert response.status in (200, 201), await response.text()


def in_channel(connector, channel: str, thread: str, text: str, user: dict) -> dict:
    return activity(
        connector,
        conversation_type="channel",
        conversation_id=f"{channel};messageid={thread}",
        **{"from": user, **mention(text)},
    )


def press(connector, conversation_id: str, card_id: str, data: dict, user: dict, **values):
    kind = "personal" if conversation_id.startswith("a:") else "channel"
    return activity(
        connector,
        None,
        conversation_type=kind,
        conversation_id=conversation_id,
        value={**data, **values},
        replyToId=card_id,
        **{"from": user},
    )


async def test_question_to_expert_and_answer_back_in_the_thread(app_client, connector, clock):
    client, worker = app_client
    # A leader makes the fagansvarlig channel the experts' conversation.
    await post(client, in_channel(connector, EXPERT_CHANNEL, "m0", "ekspertkanal", LEADER))
    assert connector.texts()[-1].startswith("Registrert: dette er nå ekspertkanalen")

    # A caseworker's question in the office channel has no confident answer.
    await post(client, in_channel(connector, OFFICE, "q1", NO_ANSWER, KARI))
    no_answer = connector.messages()[-1]
    ask = buttons(no_answer["attachments"][0]["content"])["Spør en fagperson"]
    assert ask["question"] == NO_ANSWER
    kari = KARI
    await post(client, press(connector, f"{OFFICE};messageid=q1", "card-q1", ask, kari))
    assert connector.texts()[-1].startswith("Takk! Spørsmålet ditt er sendt videre")
    # Pressing again does not make a second ticket.
    await post(client, press(connector, f"{OFFICE};messageid=q1", "card-q1", ask, kari))
    assert "allerede sendt" in connector.texts()[-1]

    # The worker posts the ticket card to the experts' channel.
    before = len(connector.activities)
    report = await worker.tick()
    assert report.sent == 1
    posted = connector.activities[before]
    assert posted["conversation"]["id"] == EXPERT_CHANNEL
    assert connector.calls[-1] == ("POST", f"/v3/conversations/{EXPERT_CHANNEL}/activities")
    card = posted["attachments"][0]["content"]
    assert NO_ANSWER in text_of(card) and "Status: Åpen" in text_of(card)
    take = buttons(card)["Jeg tar den"]
    card_id = f"sent-{len(connector.activities) - 1}"
    stored = Outbox(client.server.app[RUNTIME].store.engine).get(
        f"ticket|{take['ticket']}|card|{EXPERT_CHANNEL}"
    )
    assert stored.status == "sent" and stored.activity_id == card_id

    # Per takes it: the card turns into the answer form in place.
    where = f"{EXPERT_CHANNEL};messageid={card_id}"
    await post(client, press(connector, where, card_id, take, PER))
    assert connector.calls[-1] == ("PUT", f"/v3/conversations/{where}/activities/{card_id}")
    form = connector.activities[-1]["attachments"][0]["content"]
    assert "Tatt av Per Ekspert" in text_of(form)
    inputs = {b["id"]: b for b in form["body"] if b["type"].startswith("Input.")}
    assert inputs["answer"]["isMultiline"] and inputs["answer"]["isRequired"]
    assert inputs["for_handbook"]["title"] == "Bør inn i håndboka"
    send = buttons(form)["Send svar"]

    # Eva comes second; she can neither take it nor answer it.
    await post(client, press(connector, where, card_id, take, EVA))
    assert connector.texts()[-1] == "Denne saken har Per Ekspert allerede tatt."
    await post(
        client, press(connector, where, card_id, send, EVA, answer="Nei", for_handbook="false")
    )
    assert connector.texts()[-1] == "Bare den som tok saken (Per Ekspert), kan svare på den."
    await post(client, press(connector, where, card_id, send, PER, answer="  "))
    assert connector.texts()[-1] == feature.EMPTY_ANSWER

    # Per answers (with an identity number by mistake, which is removed).
    clock.advance(minutes=30)
    answer = f"Kantina har egen meny på intranettet. Ikke skriv {FNR} her."
    await post(
        client, press(connector, where, card_id, send, PER, answer=answer, for_handbook="true")
    )
    updated = [a for a in connector.activities if a.get("id") == card_id][-1]
    done = updated["attachments"][0]["content"]
    assert "Besvart av Per Ekspert" in text_of(done) and "Send svar" not in buttons(done)
    assert connector.texts()[-1] == feature.ANSWER_PII
    ticket = Tickets(client.server.app[RUNTIME].store.engine).get(int(take["ticket"]))
    assert ticket.status == "answered" and ticket.for_handbook and FNR not in ticket.answer
    assert ticket.card_activity_id == card_id and ticket.asker_activity_id == "q1"

    # The worker delivers the answer into Kari's thread.
    before = len(connector.activities)
    assert (await worker.tick()).sent == 1
    delivered = connector.activities[before]
    assert delivered["conversation"]["id"] == f"{OFFICE};messageid=q1"
    answer_card = delivered["attachments"][0]["content"]
    assert NO_ANSWER in text_of(answer_card)
    assert "Kantina har egen meny" in text_of(answer_card) and FNR not in str(delivered)
    assert "Besvart av Per Ekspert." in text_of(answer_card)
    assert (await worker.tick()).sent == 0  # exactly once


async def test_without_an_expert_channel_the_ticket_waits(app_client, connector):
    client, worker = app_client
    await post(client, activity(connector, NO_ANSWER))
    ask = buttons(connector.cards()[-1])["Spør en fagperson"]
    await post(client, press(connector, "a:personal-1", "card-1", ask, LEADER))
    assert "ingen ekspertkanal er valgt" in connector.texts()[-1]
    assert (await worker.tick()).sent == 0
    # Someone who is not a leader cannot choose; nothing changes.
    await post(client, in_channel(connector, EXPERT_CHANNEL, "m0", "ekspertkanal", PER))
    assert connector.texts()[-1] == feature.NOT_LEADER
    engine = client.server.app[RUNTIME].store.engine
    assert Designations(engine).conversation_for(EXPERTS) is None
    # Not in a personal chat either.
    await post(client, activity(connector, "ekspertkanal", **{"from": LEADER}))
    assert connector.texts()[-1] == feature.NOT_PERSONAL
    # The leader chooses the channel: the waiting ticket goes there.
    await post(client, in_channel(connector, EXPERT_CHANNEL, "m0", "ekspertkanal", LEADER))
    assert connector.texts()[-1].endswith("1 spørsmål som ventet, sendes hit nå.")
    before = len(connector.activities)
    assert (await worker.tick()).sent == 1
    assert connector.activities[before]["conversation"]["id"] == EXPERT_CHANNEL


async def test_not_useful_offers_an_expert_and_personal_answers_need_no_thread(
    app_client, connector
):
    client, worker = app_client
    await post(client, in_channel(connector, EXPERT_CHANNEL, "m0", "ekspertkanal", LEADER))
    question = "hvordan skriver jeg vedtak etter § 17?"
    await post(client, activity(connector, question))
    vote = buttons(connector.cards()[-1])["Ikke nyttig"]
    await post(client, press(connector, "a:personal-1", "answer-1", vote, LEADER))
    offer = connector.cards()[-1]
    assert "Takk for tilbakemeldingen" in text_of(offer)
    ask = buttons(offer)["Spør en fagperson"]
    assert ask["question"] == question
    await post(client, press(connector, "a:personal-1", "offer-1", ask, LEADER))
    await worker.tick()
    card_id = f"sent-{len(connector.activities) - 1}"
    take = buttons(connector.activities[-1]["attachments"][0]["content"])["Jeg tar den"]
    assert "Vedtak" in text_of(connector.activities[-1]["attachments"][0]["content"])
    shown = [d for d in buttons(connector.activities[-1]["attachments"][0]["content"]).values()]
    assert {
        "rutinebot": "show_routine",
        "routine_id": "vedtak-okonomisk-radgivning",
        "section": "",
    } in shown
    where = f"{EXPERT_CHANNEL};messageid={card_id}"
    await post(client, press(connector, where, card_id, take, PER))
    send = {"rutinebot": tc.ANSWER, "ticket": take["ticket"]}
    await post(client, press(connector, where, card_id, send, PER, answer="Bruk malen."))
    before = len(connector.activities)
    await worker.tick()
    assert connector.activities[before]["conversation"]["id"] == "a:personal-1"


async def test_forged_ticket_buttons_are_refused_politely(app_client, connector):
    client, _ = app_client
    for data in (
        {"rutinebot": tc.TAKE, "ticket": "x1"},
        {"rutinebot": tc.ANSWER},
        {"rutinebot": tc.TAKE, "ticket": "424242"},
    ):
        await post(client, press(connector, "a:personal-1", "c", data, PER, answer="svar"))
        assert connector.texts()[-1] == feature.UNKNOWN_TICKET
    for data in (
        {"rutinebot": tc.ASK_EXPERT},
        {"rutinebot": tc.ASK_EXPERT, "question": ["x"]},
        {"rutinebot": tc.ASK_EXPERT, "question": "x" * 5000},
        {"rutinebot": tc.ASK_EXPERT, "question": FNR},
    ):
        await post(client, press(connector, "a:personal-1", "c", data, PER))
        assert connector.texts()[-1] == feature.BAD_QUESTION
    assert Tickets(client.server.app[RUNTIME].store.engine).all() == []


async def test_cli_lists_the_tickets(app_client, connector, tmp_path, monkeypatch, capsys):
    client, _ = app_client
    await post(client, activity(connector, NO_ANSWER))
    ask = buttons(connector.cards()[-1])["Spør en fagperson"]
    await post(client, press(connector, "a:personal-1", "card-1", ask, LEADER))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["tickets"]) == 0
    out = capsys.readouterr().out
    assert "åpen" in out and "lunsjmenyen i kantina" in out


def delivery(**payload) -> Delivery:
    return claimed(OFFICE, feature.TICKET_ANSWER, "ticket:1", payload)


def test_an_answer_goes_into_a_channel_thread_only_in_a_channel():
    card = {"type": "AdaptiveCard", "body": []}
    channel = record(OFFICE, "http://connector.invalid")
    activity = build_activity(delivery(thread="q1", summary="Svar", card=card), channel)
    assert activity.conversation.id == f"{OFFICE};messageid=q1"
    assert (activity.summary, activity.text) == ("Svar", None)
    chat = record("a:personal-1", "http://connector.invalid", kind="personal")
    assert build_activity(delivery(thread="q1", card=card), chat).conversation.id == "a:personal-1"
    assert build_activity(delivery(card=card), channel).conversation.id == OFFICE
