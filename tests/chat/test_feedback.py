""" "Nyttig" / "Ikke nyttig" through /api/messages: the vote is recorded and the pressed answer
card is replaced in place (a PUT to the Bot Connector), drawn again from the handbook and the
button's data."""

from __future__ import annotations

from bot.app import RUNTIME
from bot.chat import cards
from bot.chat import replies as r
from tests.bot_fixtures import activity

QUESTION = "hvordan skriver jeg vedtak etter § 17?"
ROUTINE = "vedtak-okonomisk-radgivning"
CARD_ID = "sent-0"  # the recording connector's id for the first message it is sent
PUT = ("PUT", f"/v3/conversations/a:personal-1/activities/{CARD_ID}")


async def post(client, body: dict) -> None:
    response = await client.post("/api/messages", json=body)
    assert response.status == 200, await response.text()


def submits(card: dict) -> dict[str, dict]:
    found = list(card.get("actions", []))
    for block in card["body"]:
        found += block.get("actions", [])
    return {b["title"]: b["data"] for b in found if b["type"] == "Action.Submit"}


def texts(card: dict) -> list[str]:
    return [str(block.get("text", "")) for block in card["body"]]


def press(connector, data: dict, reply_to: str | None = CARD_ID) -> dict:
    extra = {"replyToId": reply_to} if reply_to else {}
    return activity(connector, None, value=data, **extra)


async def ask(client, connector) -> dict:
    await post(client, activity(connector, QUESTION))
    [card] = connector.cards()
    return card


def votes(client) -> dict[str, tuple[int, int]]:
    store = client.server.app[RUNTIME].store
    return {v.routine_id: (v.up, v.down) for v in store.votes()}


def head(card: dict) -> list[dict]:
    """The card's body above the vote buttons (or the thank-you that replaced them)."""
    body = card["body"]
    ends = [
        i
        for i, b in enumerate(body)
        if b.get("text") in ("Var svaret nyttig?", cards.FEEDBACK_THANKS)
    ]
    return body[: ends[0]]


async def test_useful_updates_the_card_in_place_with_a_thank_you(bot_client, connector):
    answer = await ask(bot_client, connector)
    useful = submits(answer)["Nyttig"]
    assert useful["question"] == QUESTION and useful[cards.SEE_ALSO_FIELD]
    await post(bot_client, press(connector, useful))

    assert votes(bot_client)[ROUTINE] == (1, 0)
    assert connector.calls[-1] == PUT
    updated = connector.activities[-1]
    assert updated["id"] == CARD_ID
    assert updated["summary"] == connector.activities[0]["summary"]
    [card] = [a["content"] for a in updated["attachments"]]
    # The same answer (excerpt with the same words marked, source, "Se også", "Vis hele
    # rutinen"), the vote buttons replaced by the thank-you: a second vote cannot be pressed.
    assert head(card) == head(answer)
    assert "**" in card["body"][2]["text"]
    assert card["actions"] == answer["actions"]
    assert cards.FEEDBACK_THANKS in texts(card)
    assert "Var svaret nyttig?" not in texts(card)
    assert submits(card) == {}
    assert len(connector.messages()) == 2  # the answer and its update, no new message


async def test_not_useful_keeps_the_offer_to_ask_an_expert_and_it_works(bot_client, connector):
    answer = await ask(bot_client, connector)
    await post(bot_client, press(connector, submits(answer)["Ikke nyttig"]))

    assert votes(bot_client)[ROUTINE] == (0, 1)
    assert connector.calls[-1] == PUT
    [card] = [a["content"] for a in connector.activities[-1]["attachments"]]
    assert head(card) == head(answer)
    assert cards.FEEDBACK_THANKS in texts(card)
    buttons = submits(card)
    assert list(buttons) == ["Spør en fagperson"]
    offer = buttons["Spør en fagperson"]
    assert (offer["question"], offer["closest"]) == (QUESTION, ROUTINE)

    # The offer still passes the question on (no expert channel yet: kept as an open ticket).
    await post(bot_client, press(connector, offer, reply_to=f"sent-{len(connector.calls) - 1}"))
    assert connector.texts()[-1].startswith("Spørsmålet ditt er lagret (sak 1)")


async def test_forged_vote_buttons_are_answered_politely(bot_client, connector):
    answer = await ask(bot_client, connector)
    useful = submits(answer)["Nyttig"]

    # An unknown routine: told so, nothing recorded, nothing replaced.
    await post(bot_client, press(connector, {**useful, "routine_id": "finnes-ikke"}))
    assert connector.texts()[-1] == r.UNKNOWN_ROUTINE.format(id="finnes-ikke")
    # No question, a question of the wrong type or too long: thanked in a new message.
    for question in (None, 17, "x" * (r.MAX_QUESTION_CHARS + 1)):
        data = {k: v for k, v in useful.items() if k != "question"}
        if question is not None:
            data["question"] = question
        await post(bot_client, press(connector, data))
        assert connector.texts()[-1] == r.THANKS_UP
    # A section that is not (or no longer) in the routine, and a press without the card's id.
    await post(bot_client, press(connector, {**useful, "section": "finnes-ikke"}))
    assert connector.texts()[-1] == r.THANKS_UP
    await post(bot_client, press(connector, useful, reply_to=None))
    assert connector.texts()[-1] == r.THANKS_UP
    assert PUT not in connector.calls
    assert votes(bot_client)[ROUTINE] == (5, 0)

    # Junk "Se også" and an identity number in the question: the card is still drawn, without
    # what does not check out and without the number.
    forged = {
        **useful,
        cards.SEE_ALSO_FIELD: "klage#finnes-ikke,<b>,x" * 3,
        "question": "vedtak 15076500565",
    }
    await post(bot_client, press(connector, forged))
    assert connector.calls[-1] == PUT
    [card] = [a["content"] for a in connector.activities[-1]["attachments"]]
    assert "15076500565" not in str(card)
    assert "Se også" not in texts(card)
    assert cards.FEEDBACK_THANKS in texts(card)
