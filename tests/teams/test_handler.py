"""The bot through its HTTP endpoint, with a recording Bot Connector on a real port."""

from __future__ import annotations

from yarl import URL

from bot.app import RUNTIME
from bot.chat import card_actions as ca
from tests.bot_fixtures import CONTACT, activity, added_to_team, mention


async def post(client, body: dict):
    return await client.post("/api/messages", json=body)


def runtime(client):
    return client.server.app[RUNTIME]


async def test_question_gets_the_section_17_routine_as_a_card(bot_client, connector):
    response = await post(bot_client, activity(connector, "hvordan skriver jeg vedtak etter § 17?"))
    assert response.status == 200
    [card] = connector.cards()
    assert card["version"] == "1.5"
    assert "§ 17" in card["body"][0]["text"]
    facts = {f["title"]: f["value"] for f in card["body"][3]["facts"]}
    assert "https://lovdata.no/lov/2009-12-18-131/%C2%A717" in facts["Lovgrunnlag"]
    assert connector.messages()[0]["summary"].startswith(card["body"][0]["text"])
    # replies go back into the conversation the question came from
    assert {a["conversation"]["id"] for a in connector.activities} == {"a:personal-1"}


async def test_whole_routine_button_opens_the_routine_page_at_the_section(bot_client, connector):
    await post(bot_client, activity(connector, "hvordan skriver jeg vedtak etter § 17?"))
    [card] = connector.cards()
    [show] = [a for a in card["actions"] if a["title"] == "Vis hele rutinen"]
    assert show["type"] == "Action.OpenUrl"
    url = URL(show["url"])
    assert str(url.origin()) == "http://localhost:3978"  # PUBLIC_BASE_URL's default
    assert url.path == "/rutiner/vedtak-okonomisk-radgivning" and url.fragment
    page = await bot_client.get(url.path)  # the same app serves the page
    assert page.status == 200
    assert f'<h2 id="{url.fragment}">' in await page.text()


async def test_answer_is_recorded_as_usage(bot_client, connector):
    await post(bot_client, activity(connector, "hvordan skriver jeg vedtak etter § 17?"))
    store = runtime(bot_client).store
    assert store.most_used()[0] == ("vedtak-okonomisk-radgivning", 1)


async def test_no_confident_answer_records_the_question_and_names_the_contact(
    bot_client, connector
):
    await post(bot_client, activity(connector, "hva er lunsjmenyen i kantina på fredag"))
    [card] = connector.cards()
    texts = " ".join(b.get("text", "") for b in card["body"])
    assert "fant ikke et sikkert svar" in texts
    assert CONTACT in texts
    [question] = runtime(bot_client).store.unanswered()
    assert question.question == "hva er lunsjmenyen i kantina på fredag"


async def test_fodselsnummer_is_stripped_and_the_user_told(bot_client, connector):
    await post(bot_client, activity(connector, "bruker 150765 00565 spør om lunsjmenyen i kantina"))
    assert "fødselsnummer" in connector.texts()[0]
    stored = runtime(bot_client).store.unanswered()[0]
    assert "00565" not in stored.question
    assert stored.had_personal_data


async def test_channel_message_without_mention_is_ignored(bot_client, connector):
    body = activity(
        connector, "klage", conversation_type="channel", conversation_id="19:c;messageid=1"
    )
    assert (await post(bot_client, body)).status == 200
    assert connector.activities == []


async def test_channel_mention_is_stripped_and_answered_in_the_thread(bot_client, connector):
    body = activity(
        connector,
        conversation_type="channel",
        conversation_id="19:general@thread.tacv2;messageid=1700",
        **mention("hvordan skriver jeg vedtak etter § 17?"),
    )
    await post(bot_client, body)
    [card] = connector.cards()
    assert "§ 17" in card["body"][0]["text"]
    thread = {a["conversation"]["id"] for a in connector.activities}
    assert thread == {"19:general@thread.tacv2;messageid=1700"}


async def test_group_chat_needs_a_mention_too(bot_client, connector):
    plain = activity(connector, "hjelp", conversation_type="groupChat", conversation_id="19:g")
    await post(bot_client, plain)
    assert connector.activities == []
    mentioned = activity(
        connector, conversation_type="groupChat", conversation_id="19:g", **mention("hjelp")
    )
    await post(bot_client, mentioned)
    assert len(connector.cards()) == 1


async def test_help_lists_every_command(bot_client, connector):
    from bot.chat.commands import COMMANDS

    await post(bot_client, activity(connector, "help"))
    [card] = connector.cards()
    usages = [f["title"] for f in card["body"][2]["facts"]]
    assert usages == [c.usage for c in COMMANDS]


async def test_routine_command_shows_the_whole_routine(bot_client, shipped_handbook, connector):
    await post(bot_client, activity(connector, "rutine klage"))
    [card] = connector.cards()
    routine = shipped_handbook.routine("klage")
    shown = [b["text"] for b in card["body"]]
    assert shown[0] == routine.title
    for section in routine.sections:
        assert section.heading in shown


async def test_routine_without_id_lists_the_routines(bot_client, shipped_handbook, connector):
    await post(bot_client, activity(connector, "rutine"))
    [card] = connector.cards()
    assert len(card["body"][2]["facts"]) == len(shipped_handbook.routines)


async def test_subscribe_and_unsubscribe_are_recorded(bot_client, connector):
    store = runtime(bot_client).store
    await post(bot_client, activity(connector, "abonner"))
    assert store.conversation("a:personal-1").subscribed
    assert {s.topic for s in store.subscriptions()} == {"fredagsprat", "frister"}
    await post(bot_client, activity(connector, "avslutt abonnement"))
    assert not store.conversation("a:personal-1").subscribed
    assert store.subscriptions() == []
    subscribed, ended = connector.texts()
    assert subscribed.startswith("Registrert: denne samtalen får tema og påminnelser")
    assert "frister" in subscribed and ended.startswith("Avsluttet")


async def test_subscribe_to_one_topic(bot_client, connector):
    store = runtime(bot_client).store
    await post(bot_client, activity(connector, "abonner på frister"))
    assert [s.topic for s in store.subscriptions()] == ["frister"]
    await post(bot_client, activity(connector, "abonner fredagsprat"))
    await post(bot_client, activity(connector, "avslutt abonnement frister"))
    assert [s.topic for s in store.subscriptions()] == ["fredagsprat"]
    assert "Fredagsprat" not in connector.texts()[0]


async def test_next_fredagsprat_is_the_next_session_from_the_schedule(bot_client, connector):
    await post(bot_client, activity(connector, "neste fredagsprat"))
    [card] = connector.cards()
    facts = {f["title"]: f["value"] for f in card["body"][2]["facts"]}
    assert facts == {
        "Når": "Fredag 27. november 2026",
        "Tid": "kl. 12:00–13:00",
        "Tema": "Tilgjengelighet til sosiale tjenester",
    }
    urls = [a["url"] for a in card["actions"]]
    assert urls[0].startswith("https://teams.microsoft.com/")
    assert urls[1].endswith("/calendar/fredagsprat/fredagsprat-2026-11.ics")
    assert card["fallbackText"].startswith("Neste Fredagsprat: fredag 27. november 2026 kl. 12:00")


async def test_feedback_button_records_the_vote(bot_client, connector):
    value = ca.action_data(
        ca.FEEDBACK, routine_id="klage", section="klagerett-og-klagefrist", vote="down"
    )
    await post(bot_client, activity(connector, None, value=value))
    [votes] = runtime(bot_client).store.votes()
    assert (votes.routine_id, votes.up, votes.down) == ("klage", 0, 1)
    assert "Takk" in connector.texts()[0]


async def test_show_routine_button_shows_it(bot_client, connector):
    value = ca.action_data(ca.SHOW_ROUTINE, routine_id="akutt-hjelp", section="")
    await post(bot_client, activity(connector, None, value=value))
    [card] = connector.cards()
    assert card["body"][0]["text"] == runtime(bot_client).handbook.routine("akutt-hjelp").title


async def test_ask_button_asks_the_question(bot_client, connector):
    value = ca.action_data(ca.ASK, text="hvordan skriver jeg vedtak etter § 17?")
    await post(bot_client, activity(connector, None, value=value))
    [card] = connector.cards()
    assert "§ 17" in card["body"][0]["text"]


async def test_install_in_personal_chat_welcomes_once_and_stores_the_reference(
    bot_client, connector
):
    install = activity(connector, None, type="installationUpdate", action="add")
    added = activity(
        connector,
        None,
        type="conversationUpdate",
        membersAdded=[{"id": USER_ID}, {"id": "28:rutinebot"}],
    )
    assert (await post(bot_client, install)).status == 200
    assert (await post(bot_client, added)).status == 200
    [card] = connector.cards()
    assert "Rutinebot" in card["body"][0]["text"]
    record = runtime(bot_client).store.conversation("a:personal-1")
    assert record.service_url == connector.url
    assert record.reference["conversation"]["id"] == "a:personal-1"
    assert record.reference["bot"]["id"] == "28:rutinebot"


async def test_install_in_a_team_stores_the_channel_not_the_thread(bot_client, connector):
    added = added_to_team(connector, "19:general@thread.tacv2")
    await post(bot_client, added)
    record = runtime(bot_client).store.conversation("19:general@thread.tacv2")
    assert record.team_id == "19:general@thread.tacv2"
    assert record.conversation_type == "channel"


async def test_uninstall_removes_the_reference(bot_client, connector):
    store = runtime(bot_client).store
    await post(bot_client, activity(connector, None, type="installationUpdate", action="add"))
    assert store.conversation("a:personal-1") is not None
    await post(bot_client, activity(connector, None, type="installationUpdate", action="remove"))
    assert store.conversation("a:personal-1") is None


USER_ID = "29:caseworker"


async def test_a_feature_command_and_button_are_routed_and_a_card_updated_in_place(
    bot_client, connector
):
    from bot.chat.replies import Reply

    replies = runtime(bot_client).bot.replies
    seen = []

    async def command(incoming, argument):
        seen.append((incoming.user_id, incoming.user_name, argument))
        return [Reply("kommando")]

    async def press(incoming, data):
        seen.append((incoming.reply_to_id, data["x"]))
        return [Reply("oppdatert", {"type": "AdaptiveCard", "body": []}, update=True)]

    replies.on_command("help", command)
    replies.on_action("test_press", press)
    await post(bot_client, activity(connector, "hjelp"))
    body = activity(connector, None, value={ca.ACTION: "test_press", "x": "1"}, replyToId="m-7")
    await post(bot_client, body)
    assert seen == [("aad-kari", "Kari Veileder", ""), ("m-7", "1")]
    assert connector.texts()[0] == "kommando"
    assert connector.calls[-1] == ("PUT", "/v3/conversations/a:personal-1/activities/m-7")


async def test_typing_indicator_only_when_the_answer_takes_a_while(bot_client, connector):
    import asyncio

    from bot.chat.replies import Reply
    from bot.teams.handler import TYPING_DELAY

    replies = runtime(bot_client).bot.replies

    async def slow(incoming, argument):
        await asyncio.sleep(TYPING_DELAY * 3)
        return [Reply("sakte svar")]

    async def quick(incoming, argument):
        return [Reply("raskt svar")]

    replies.on_command("help", slow)
    replies.on_command("routine", quick)
    await post(bot_client, activity(connector, "hjelp"))
    await post(bot_client, activity(connector, "rutine"))
    assert [(a["type"], a.get("text")) for a in connector.activities] == [
        ("typing", None),
        ("message", "sakte svar"),
        ("message", "raskt svar"),
    ]
