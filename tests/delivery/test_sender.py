"""The sender against a local Bot Connector: what it posts, and what it reports back."""

from __future__ import annotations

import pytest

from bot.config import Config
from bot.delivery import planner
from bot.delivery.outbox import Delivery
from bot.delivery.sender import Sender, message_text
from bot.teams.adapter import RutineAdapter
from tests.delivery_fixtures import (
    BOT,
    T0,
    claimed,
    record,
    scripted_connector,  # noqa: F401 (the connector fixture)
)


def delivery(conversation_id: str = "19:team@thread.tacv2", **payload) -> Delivery:
    payload = {
        "title": "Tiltak 3: rutine for vedtak",
        "at": "2026-12-01T00:00:00+01:00",
        "all_day": True,
        "responsible": "Fagansvarlig",
        "url": "https://rutinebot.example/frister",
        "offset": "7d",
        **payload,
    }
    return claimed(
        conversation_id, payload.pop("kind", planner.DEADLINE_REMINDER), "tiltak-3", payload
    )


@pytest.fixture
async def adapter(tmp_path):
    adapter = RutineAdapter(Config.from_env({"DATA_DIR": str(tmp_path)}))
    yield adapter
    await adapter.close()


async def test_posts_a_new_message_to_the_stored_conversation(connector, adapter):
    sender = Sender(adapter, clock=lambda: T0)
    conversation = record("19:team@thread.tacv2", connector.url)
    result = await sender.send(delivery(), conversation)
    assert result.status == 201 and result.activity_id == "m1" and result.error == ""
    [(path, activity, _)] = connector.posts
    # A new post in the conversation, not a reply to the install message.
    assert path == "/v3/conversations/19:team@thread.tacv2/activities"
    assert activity["type"] == "message"
    assert activity["from"] == BOT
    assert activity["conversation"]["id"] == "19:team@thread.tacv2"
    assert activity["conversation"]["tenantID"] == "tenant-1"  # the SDK's spelling
    assert activity["channelData"] == {"tenant": {"id": "tenant-1"}}
    assert "replyToId" not in activity
    # A deadline reminder is a card (with "Markér som evaluert"); its text is the summary.
    assert "text" not in activity
    assert activity["summary"].startswith("Påminnelse: frist for evaluering av «Tiltak 3")
    assert "tirsdag 1. desember 2026" in activity["summary"]
    [attachment] = activity["attachments"]
    assert attachment["content"]["body"][1]["text"].startswith("Tiltak 3")


async def test_a_kind_without_a_card_is_plain_text(connector, adapter):
    sender = Sender(adapter, clock=lambda: T0)
    await sender.send(delivery(kind="broadcast", text="Hei"), record("c1", connector.url))
    [(_, activity, _)] = connector.posts
    assert activity["text"] == "Hei"
    assert "attachments" not in activity


async def test_a_payload_card_is_attached(connector, adapter):
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "x"}]}
    await Sender(adapter).send(delivery(card=card), record("c1", connector.url))
    [(_, activity, _)] = connector.posts
    assert activity["attachments"] == [
        {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
    ]


@pytest.mark.parametrize(
    ("status", "header", "retry_after"),
    [(429, "7", 7.0), (503, "Mon, 23 Nov 2026 07:00:30 GMT", 30.0), (500, None, None)],
)
async def test_errors_come_back_with_status_and_retry_after(
    connector, adapter, status, header, retry_after
):
    connector.answer("c1", (status, {"Retry-After": header} if header else {}))
    result = await Sender(adapter, clock=lambda: T0).send(delivery(), record("c1", connector.url))
    assert result.status == status
    assert result.retry_after == retry_after
    assert str(status) in result.error


async def test_403_comes_back_as_403(connector, adapter):
    connector.answer("c1", (403, {}))
    result = await Sender(adapter).send(delivery(), record("c1", connector.url))
    assert (result.status, result.retry_after) == (403, None)


async def test_network_error_and_timeout_have_no_status(connector, adapter, unused_tcp_port):
    refused = await Sender(adapter).send(
        delivery(), record("c1", f"http://127.0.0.1:{unused_tcp_port}")
    )
    assert refused.status is None and "Connect" in refused.error
    connector.hang_forever()
    late = await Sender(adapter, timeout=0.1).send(delivery(), record("c1", connector.url))
    assert late.status is None and "0.1 s" in late.error


@pytest.mark.parametrize(
    ("kind", "payload", "expected"),
    [
        (
            planner.SESSION_REMINDER,
            {"title": "Nytt regelverk", "at": "2026-11-27T12:00:00+01:00", "offset": "1d"},
            "Påminnelse: Fredagsprat «Nytt regelverk» starter fredag 27. november 2026 kl. 12:00.",
        ),
        (
            planner.SESSION_REMINDER,
            {"title": "Nytt regelverk", "at": "2026-11-27T11:00:00+00:00", "offset": "15m"},
            "Påminnelse: Fredagsprat «Nytt regelverk» starter om 15 minutter.",
        ),
        (
            planner.DEADLINE_OVERDUE,
            {"title": "Tiltak 3", "at": "2026-12-01T00:00:00+01:00", "all_day": True},
            "Fristen for evaluering av «Tiltak 3» gikk ut tirsdag 1. desember 2026 og er ikke "
            "markert som evaluert.",
        ),
        (
            planner.RECURRING_REMINDER,
            {"title": "Internkontroll", "at": "2027-01-15T00:00:00+01:00", "all_day": True},
            "Påminnelse: «Internkontroll» skal gjøres innen fredag 15. januar 2027.",
        ),
        (planner.TOPIC, {"title": "KI i saksbehandling"}, "Tema for Fredagsprat er klart: «KI"),
        ("broadcast", {"text": "Velkommen til Fredagsprat!"}, "Velkommen til Fredagsprat!"),
    ],
)
def test_message_texts(kind, payload, expected):
    assert message_text(kind, payload).startswith(expected)


async def test_a_deadline_card_links_the_private_calendar_when_configured(connector, adapter):
    url = "https://rutinebot.example/calendar/frister.ics?token=s3cret"
    await Sender(adapter, calendar_url=url).send(delivery(), record("c1", connector.url))
    await Sender(adapter).send(delivery(), record("c1", connector.url))
    with_link, without = (a["attachments"][0]["content"] for _, a, _ in connector.posts)
    links = {a["title"]: a.get("url") for a in with_link["actions"]}
    assert links["Åpne fristkalenderen"] == url
    assert "Åpne fristkalenderen" not in str(without)
    assert [a["title"] for a in without["actions"]][0] == "Markér som evaluert"
