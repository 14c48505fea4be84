"""inviter, the invitation, RSVPs, the delivery report, topic proposals and the team welcome,
through the bot's HTTP endpoint with a recording Bot Connector on a real port."""

from __future__ import annotations

import logging

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import RUNTIME, _worker, create_app
from bot.chat import card_actions as ca
from bot.chat.leaders import NONE_CONFIGURED
from bot.config import Config
from bot.features.invitations import cards as ic
from bot.store.broadcasts import Broadcasts
from bot.store.designations import ORGANISERS, Designations
from bot.store.topic_proposals import TopicProposals
from tests.bot_fixtures import NOW, activity, added_to_team, mention
from tests.card_support import block_text as text_of
from tests.card_support import buttons, facts

LEADER = {"id": "29:leader", "name": "Lene Leder", "aadObjectId": "aad-lene"}
KARI = {"id": "29:caseworker", "name": "Kari Veileder", "aadObjectId": "aad-kari"}
SESSION = "fredagsprat-2026-11"  # the shipped schedule's next session after NOW
CHANNEL = "19:general@thread.tacv2"
GROUP = "19:group@thread.v2"
KARI_CHAT = "a:personal-kari"
LEADER_CHAT = "a:personal-lene"


def leader_config(tmp_path, leaders: str = "aad-lene, aad-other") -> Config:
    return Config.from_env(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "PORT": "3978",
            "PUBLIC_BASE_URL": "https://rutinebot.example.no",
            "LEADER_AAD_IDS": leaders,
            "DELIVERY_ENABLED": "false",
        }
    )


async def _client(config, handbook):
    app = create_app(config, handbook=handbook, clock=lambda: NOW)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


@pytest.fixture
async def client(tmp_path, shipped_handbook):
    client = await _client(leader_config(tmp_path), shipped_handbook)
    yield client
    await client.close()


def runtime(client):
    return client.server.app[RUNTIME]


async def post(client, body: dict) -> None:
    response = await client.post("/api/messages", json=body)
    assert response.status in (200, 201), await response.text()


def press(connector, value, reply_to, who=KARI, where=KARI_CHAT, kind="personal") -> dict:
    return activity(
        connector,
        None,
        value=value,
        replyToId=reply_to,
        conversation_type=kind,
        conversation_id=where,
        **{"from": who},
    )


def shared(connector, text, where=CHANNEL, kind="channel", who=KARI) -> dict:
    """A message in a channel or group chat that @mentions the bot."""
    return activity(
        connector, conversation_type=kind, conversation_id=where, **mention(text), **{"from": who}
    )


async def subscribe_three(client, connector) -> None:
    for where, kind in ((CHANNEL, "channel"), (GROUP, "groupChat"), (KARI_CHAT, "personal")):
        text = "abonner fredagsprat"
        if kind == "personal":
            body = activity(connector, text, conversation_id=where, **{"from": KARI})
        else:
            body = shared(connector, text, where, kind)
        await post(client, body)


def puts(connector) -> list[tuple[str, dict]]:
    return [
        (path, body)
        for (method, path), body in zip(connector.calls, connector.activities, strict=True)
        if method == "PUT"
    ]


async def test_a_leader_gets_the_form_with_upcoming_sessions(client, connector):
    await post(
        client, activity(connector, "inviter", conversation_id=LEADER_CHAT, **{"from": LEADER})
    )
    [form] = connector.cards()
    [choice] = [b for b in form["body"] if b["type"] == "Input.ChoiceSet"]
    assert choice["value"] == SESSION
    assert [c["value"] for c in choice["choices"]][0] == SESSION
    assert "fredagsprat-2026-10" not in str(choice)  # over
    [note] = [b for b in form["body"] if b["type"] == "Input.Text"]
    assert note["maxLength"] == ic.MAX_NOTE
    [send] = buttons(form)
    assert send["title"] == "Send invitasjon" and send["data"] == {ca.ACTION: ic.SEND}


async def test_inviter_with_a_date_preselects_that_session(client, connector):
    for argument in ("29.01.2027", "29.1", "2027-01-29", "fredagsprat-2027-01"):
        body = activity(
            connector, f"inviter {argument}", conversation_id=LEADER_CHAT, **{"from": LEADER}
        )
        await post(client, body)
        choice = next(b for b in connector.cards()[-1]["body"] if b["type"] == "Input.ChoiceSet")
        assert choice["value"] == "fredagsprat-2027-01", argument
    await post(
        client,
        activity(connector, "inviter 30.02", conversation_id=LEADER_CHAT, **{"from": LEADER}),
    )
    assert connector.texts()[-1].startswith("Jeg finner ingen kommende Fredagsprat for «30.02»")


async def test_someone_else_is_refused_politely_and_nothing_is_planned(client, connector, caplog):
    caplog.set_level(logging.INFO, logger="bot.features.invitations.feature")
    await post(client, activity(connector, "inviter", **{"from": KARI}))
    [text] = connector.texts()
    assert text.startswith("Beklager, bare ledere kan sende invitasjoner")
    assert connector.cards() == []
    refusal = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusal) == 1 and "aad-kari" not in refusal[0].getMessage()
    # A forged submit from someone else plans nothing either.
    value = {ca.ACTION: ic.SEND, ic.SESSION_INPUT: SESSION, ic.NOTE_INPUT: ""}
    await post(client, press(connector, value, "form-x"))
    assert connector.texts()[-1].startswith("Beklager")
    assert Broadcasts(runtime(client).store.engine).for_session(SESSION) == []


async def test_without_leaders_nobody_may_broadcast_and_is_told_how(
    tmp_path, shipped_handbook, connector
):
    client = await _client(leader_config(tmp_path, leaders=""), shipped_handbook)
    try:
        await post(client, activity(connector, "inviter", **{"from": LEADER}))
    finally:
        await client.close()
    assert connector.texts() == [NONE_CONFIGURED]
    assert "LEADER_AAD_IDS" in NONE_CONFIGURED


async def test_broadcast_reaches_every_subscriber_and_the_report_follows(client, connector):
    await subscribe_three(client, connector)
    start = len(connector.activities)
    value = {ca.ACTION: ic.SEND, ic.SESSION_INPUT: SESSION, ic.NOTE_INPUT: "Vi ser den sammen."}
    await post(client, press(connector, value, "form-1", who=LEADER, where=LEADER_CHAT))
    # The form is replaced by the report: three planned, none delivered yet.
    [(path, report)] = puts(connector)
    assert path == f"/v3/conversations/{LEADER_CHAT}/activities/form-1"
    card = report["attachments"][0]["content"]
    assert facts(card)["Samtaler"] == "3" and facts(card)["Venter"] == "3"
    assert facts(card)["Levert"] == "0" and facts(card)["Kommer"] == "0"
    # The same form sent again makes no second broadcast.
    await post(client, press(connector, value, "form-1", who=LEADER, where=LEADER_CHAT))
    assert len(Broadcasts(runtime(client).store.engine).for_session(SESSION)) == 1
    # One tick of the worker, as the app wires it, on the app's clock.
    tick = await _worker(runtime(client)).tick()
    assert tick.sent == 3
    posted = {
        a["conversation"]["id"]: a
        for (method, _), a in zip(
            connector.calls[start:], connector.activities[start:], strict=True
        )
        if method == "POST" and a["type"] == "message"
    }
    assert set(posted) == {CHANNEL, GROUP, KARI_CHAT}
    invitation = posted[CHANNEL]["attachments"][0]["content"]
    assert posted[CHANNEL]["summary"].startswith("Invitasjon til Fredagsprat fredag 27. november")
    assert facts(invitation)["Tid"] == "kl. 12:00–13:00"
    assert "Hilsen fra Lene Leder: Vi ser den sammen." in text_of(invitation)
    urls = {b["title"]: b.get("url") for b in buttons(invitation)}
    assert urls["Legg til i kalender"] == (
        "https://rutinebot.example.no/calendar/fredagsprat/fredagsprat-2026-11.ics"
    )
    assert urls["Bli med i Teams-møtet"].startswith("https://teams.microsoft.com/")
    # The worker's tick updated the report: all three delivered.
    path, report = puts(connector)[-1]
    assert path == f"/v3/conversations/{LEADER_CHAT}/activities/form-1"
    assert facts(report["attachments"][0]["content"])["Levert"] == "3"
    assert facts(report["attachments"][0]["content"])["Venter"] == "0"

    # Kari presses "Jeg kommer" in the channel: her card says so, the report counts her.
    [yes] = [b for b in buttons(invitation) if b["title"] == "Jeg kommer"]
    channel_card_id = "m-channel-1"
    await post(
        client, press(connector, yes["data"], channel_card_id, where=CHANNEL, kind="channel")
    )
    updates = puts(connector)
    report_path, report = updates[-2]
    assert report_path.endswith("/activities/form-1")
    assert facts(report["attachments"][0]["content"])["Kommer"] == "1"
    path, pressed = updates[-1]
    assert path == f"/v3/conversations/{CHANNEL}/activities/{channel_card_id}"
    assert "Kari Veileder svarte: Jeg kommer" in text_of(pressed["attachments"][0]["content"])
    assert "Hilsen fra Lene Leder" in text_of(pressed["attachments"][0]["content"])
    # She changes her mind in her own chat: the latest answer wins.
    [no] = [b for b in buttons(invitation) if b["title"] == "Kan ikke"]
    await post(client, press(connector, no["data"], "m-kari-1"))
    report = puts(connector)[-2][1]["attachments"][0]["content"]
    assert (facts(report)["Kommer"], facts(report)["Kan ikke"]) == ("0", "1")
    assert "Du har svart: Kan ikke" in text_of(puts(connector)[-1][1]["attachments"][0]["content"])


async def test_a_failed_delivery_is_reported_with_a_short_reason(client, connector):
    await subscribe_three(client, connector)
    value = {ca.ACTION: ic.SEND, ic.SESSION_INPUT: SESSION, ic.NOTE_INPUT: ""}
    await post(client, press(connector, value, "form-2", who=LEADER, where=LEADER_CHAT))
    runtime(client).store.remove_conversation(GROUP)  # uninstalled before the send
    await _worker(runtime(client)).tick()
    report = puts(connector)[-1][1]["attachments"][0]["content"]
    assert facts(report)["Samtaler"] == "3" and facts(report)["Levert"] == "2"
    assert facts(report)["Feilet"] == "1" and facts(report)["Venter"] == "0"
    assert "Ikke levert (samtale): boten er fjernet fra samtalen" in text_of(report)
    assert "Ferdig sendt." in text_of(report)


async def test_forged_or_stale_rsvp_is_refused(client, connector):
    cases = [
        {ca.ACTION: ic.RSVP, "session": SESSION, "broadcast": 0, "answer": "maybe"},
        {ca.ACTION: ic.RSVP, "session": SESSION, "broadcast": "1", "answer": "yes"},
        {ca.ACTION: ic.RSVP, "session": SESSION, "broadcast": 424242, "answer": "yes"},
        {ca.ACTION: ic.RSVP, "session": "fredagsprat-2026-10", "broadcast": 0, "answer": "yes"},
    ]
    for value in cases:
        await post(client, press(connector, value, "m-1"))
    texts = connector.texts()
    assert texts[:3] == [ic_text := texts[0]] * 3 and ic_text.startswith("Jeg forstod ikke")
    assert texts[3].startswith("Denne Fredagspraten er over")
    assert Broadcasts(runtime(client).store.engine).answers(SESSION) == {"yes": 0, "no": 0}


async def test_rsvp_on_the_automatic_invitation_counts_too(client, connector):
    value = {ca.ACTION: ic.RSVP, "session": SESSION, "broadcast": 0, "answer": "yes"}
    await post(client, press(connector, value, "m-auto"))
    [(path, body)] = puts(connector)
    assert path.endswith("/activities/m-auto")
    assert "Du har svart: Jeg kommer" in text_of(body["attachments"][0]["content"])


async def test_topic_proposal_is_kept_until_organisers_are_chosen_then_posted(client, connector):
    store = runtime(client).store
    await post(client, activity(connector, "foreslå tema Klagebehandling", **{"from": KARI}))
    assert connector.texts()[-1].startswith("Takk for forslaget! Det er lagret, men ingen")
    # Kari may not choose the organisers' channel; the leader may.
    channel = shared(connector, "arrangørkanal")
    await post(client, channel)
    assert connector.texts()[-1] == "Beklager, bare ledere kan velge arrangørkanal."
    channel["from"] = LEADER
    await post(client, channel)
    assert connector.texts()[-1].startswith("Denne samtalen får nå forslagene")
    assert Designations(store.engine).conversation_for(ORGANISERS) == CHANNEL
    text = "foreslå tema Vedtak for bruker 15076500565 i § 17-saker"
    await post(client, activity(connector, text, **{"from": KARI}))
    assert "fødselsnummer" in connector.texts()[-2]
    assert (
        connector.texts()[-1] == "Takk for forslaget! Det er sendt til arrangørene av Fredagsprat."
    )
    stored = [p.text for p in TopicProposals(store.engine).latest()]
    assert stored[0] == "Vedtak for bruker [fødselsnummer fjernet] i § 17-saker"
    assert stored[1] == "Klagebehandling"
    before = len(connector.activities)
    await _worker(runtime(client)).tick()
    [posted] = connector.activities[before:]
    assert posted["conversation"]["id"] == CHANNEL
    assert posted["text"] == (
        "Nytt forslag til tema for Fredagsprat fra Kari Veileder: "
        "«Vedtak for bruker [fødselsnummer fjernet] i § 17-saker»"
    )
    await post(client, activity(connector, "foreslå tema", **{"from": KARI}))
    assert connector.texts()[-1].startswith("Skriv forslaget etter kommandoen")


async def test_team_welcome_offers_the_subscription_choice(client, connector):
    added = added_to_team(connector, CHANNEL)
    await post(client, added)
    [welcome] = connector.cards()
    choice = {
        b["title"]: b["data"] for b in buttons(welcome) if b["data"].get(ca.ACTION) == ca.SUBSCRIBE
    }
    assert list(choice) == ["Fredagsprat", "Frister", "Begge"]
    await post(
        client, press(connector, choice["Frister"], "m-welcome", where=CHANNEL, kind="channel")
    )
    store = runtime(client).store
    assert {(s.conversation_id, s.topic) for s in store.subscriptions()} == {(CHANNEL, "frister")}
    await post(
        client, press(connector, choice["Begge"], "m-welcome", where=CHANNEL, kind="channel")
    )
    assert {s.topic for s in store.subscriptions()} == {"frister", "fredagsprat"}
    assert connector.texts()[-1].startswith("Registrert: denne samtalen får tema og påminnelser")
    await post(
        client,
        press(
            connector, {ca.ACTION: ca.SUBSCRIBE, "topic": "alt"}, "m", where=CHANNEL, kind="channel"
        ),
    )
    assert connector.texts()[-1].startswith("Jeg forstod ikke den knappen")


async def test_personal_welcome_has_no_subscription_choice(client, connector):
    await post(client, activity(connector, None, type="installationUpdate", action="add"))
    [welcome] = connector.cards()
    assert all(b["data"].get(ca.ACTION) != ca.SUBSCRIBE for b in buttons(welcome))


async def test_help_lists_the_new_commands(client, connector):
    await post(
        client, activity(connector, "hjelp", conversation_id=LEADER_CHAT, **{"from": LEADER})
    )
    usages = set(facts(connector.cards()[0]))
    assert {"inviter", "foreslå tema <tekst>", "arrangørkanal"} <= usages


async def test_the_planners_automatic_invitation_gets_the_card(client, connector):
    from datetime import UTC

    from bot.delivery.outbox import Outbox, OutboxItem
    from bot.delivery.planner import INVITATION

    store = runtime(client).store
    await subscribe_three(client, connector)
    item = OutboxItem(
        f"invitation|x|{CHANNEL}",
        CHANNEL,
        INVITATION,
        SESSION,
        NOW.astimezone(UTC),
        {"title": "Fredagsprat", "at": NOW.isoformat()},
    )
    Outbox(store.engine).plan([item])
    before = len(connector.activities)
    worker = _worker(runtime(client))
    worker.schedule = None  # not re-planned (and so not withdrawn) by the shipped plan
    assert (await worker.tick()).sent == 1
    [posted] = connector.activities[before:]
    card = posted["attachments"][0]["content"]
    assert text_of(card).startswith("Invitasjon til Fredagsprat")
    [yes] = [b for b in buttons(card) if b["title"] == "Jeg kommer"]
    assert yes["data"] == ic.rsvp_data(SESSION, 0, "yes")
    assert posted["summary"].startswith("Invitasjon til Fredagsprat")
    assert "text" not in posted


async def test_a_note_with_a_fodselsnummer_is_stripped_before_it_is_sent(client, connector):
    await subscribe_three(client, connector)
    note = "Ring 15076500565 om du lurer"
    value = {ca.ACTION: ic.SEND, ic.SESSION_INPUT: SESSION, ic.NOTE_INPUT: note}
    await post(client, press(connector, value, "form-3", who=LEADER, where=LEADER_CHAT))
    assert "fødselsnummer" in connector.texts()[-1]
    [broadcast] = Broadcasts(runtime(client).store.engine).for_session(SESSION)
    assert "15076500565" not in broadcast.note
    too_long = {**value, ic.NOTE_INPUT: "x" * (ic.MAX_NOTE + 1)}
    await post(client, press(connector, too_long, "form-4", who=LEADER, where=LEADER_CHAT))
    assert connector.texts()[-1].startswith("Hilsenen kan være på høyst 500 tegn")
    gone = {**value, ic.SESSION_INPUT: "fredagsprat-2026-10"}
    await post(client, press(connector, gone, "form-5", who=LEADER, where=LEADER_CHAT))
    assert connector.texts()[-1].startswith("Den samlingen er ikke lenger i kalenderen")
    assert len(Broadcasts(runtime(client).store.engine).for_session(SESSION)) == 1


async def test_a_failing_outbox_listener_does_not_stop_the_others(client, connector):
    await subscribe_three(client, connector)
    value = {ca.ACTION: ic.SEND, ic.SESSION_INPUT: SESSION, ic.NOTE_INPUT: ""}
    await post(client, press(connector, value, "form-6", who=LEADER, where=LEADER_CHAT))
    told = []

    async def broken(deliveries):
        raise RuntimeError("listener bug")

    async def recording(deliveries):
        told.extend(d.item_id for d in deliveries)

    worker = _worker(runtime(client))
    worker.listeners[:0] = [broken]
    worker.listeners.append(recording)
    assert (await worker.tick()).sent == 3
    [broadcast] = Broadcasts(runtime(client).store.engine).for_session(SESSION)
    assert told == [f"broadcast:{broadcast.id}"] * 3
    report = puts(connector)[-1][1]["attachments"][0]["content"]
    assert facts(report)["Levert"] == "3"


async def test_a_report_in_a_channel_thread_is_updated_in_that_thread(client, connector):
    from urllib.parse import unquote

    await subscribe_three(client, connector)
    thread = f"{CHANNEL};messageid=form-9"
    value = {ca.ACTION: ic.SEND, ic.SESSION_INPUT: SESSION, ic.NOTE_INPUT: ""}
    await post(client, press(connector, value, "form-9", who=LEADER, where=thread, kind="channel"))
    [broadcast] = Broadcasts(runtime(client).store.engine).for_session(SESSION)
    assert broadcast.report_conversation_id == thread
    await _worker(runtime(client)).tick()
    path, report = puts(connector)[-1]
    assert unquote(path) == f"/v3/conversations/{thread}/activities/form-9"
    assert report["conversation"]["id"] == thread
    assert facts(report["attachments"][0]["content"])["Levert"] == "3"
