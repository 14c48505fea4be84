"""The adapter's connector-client fixes (bot/teams/connector_client.py), one test per fix: clients are
built once, not per turn; replies reuse one HTTP connection; what the Bot Connector receives is
what the unpatched SDK sends; the Authorization header is still set when an app id is
configured."""

from __future__ import annotations

import uuid

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials

import bot.teams.adapter
from bot.app import create_app
from bot.teams import connector_client, handler
from tests.bot_fixtures import activity, catch_all_server

QUESTION = "hvordan skriver jeg vedtak etter § 17?"


class Recorder:
    """A Bot Connector that records each request's path, headers, body and TCP peer."""

    def __init__(self):
        self.requests: list[dict] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(
            {
                "path": request.path_qs,
                "headers": dict(request.headers),
                "body": await request.json(),
                "peer": request.transport.get_extra_info("peername"),
            }
        )
        return web.json_response({"id": f"sent-{len(self.requests)}"}, status=201)


@pytest.fixture
async def recorder(monkeypatch):
    # Every turn sends its typing indicator too, so both kinds of activity go over the wire.
    monkeypatch.setattr(handler, "TYPING_DELAY", 0.0)
    rec = Recorder()
    async with catch_all_server(rec.handle) as url:
        rec.url = url
        yield rec


async def _turns(bot_config, handbook, rec, texts, activity_id="fixed-id"):
    client = TestClient(TestServer(create_app(bot_config, handbook=handbook)))
    await client.start_server()
    try:
        for text in texts:
            body = activity(rec, text)
            body["id"] = activity_id
            response = await client.post("/api/messages", json=body)
            assert response.status == 200
    finally:
        await client.close()


async def test_two_turns_build_the_connector_and_token_clients_once(
    bot_config, shipped_handbook, recorder, monkeypatch
):
    built = []
    from botframework.connector.auth import _connector_factory_impl, _user_token_client_impl

    def counting(cls, kind):
        class Counting(cls):
            def __init__(self, *args, **kwargs):
                built.append(kind)
                super().__init__(*args, **kwargs)

        return Counting

    monkeypatch.setattr(
        _connector_factory_impl,
        "ConnectorClient",
        counting(_connector_factory_impl.ConnectorClient, "connector"),
    )
    monkeypatch.setattr(
        _user_token_client_impl,
        "TokenApiClient",
        counting(_user_token_client_impl.TokenApiClient, "token"),
    )
    await _turns(bot_config, shipped_handbook, recorder, [QUESTION, "hjelp", "rutine klage"])
    assert len(recorder.requests) >= 6  # typing + answer, three times
    assert built.count("connector") == 1
    assert built.count("token") == 1


async def test_replies_go_out_over_one_reused_connection(bot_config, shipped_handbook, recorder):
    await _turns(bot_config, shipped_handbook, recorder, [QUESTION, "hjelp", QUESTION])
    peers = {r["peer"] for r in recorder.requests}
    assert len(recorder.requests) >= 6
    assert len(peers) == 1, peers  # one keep-alive TCP connection from the bot


async def test_the_connector_receives_what_the_unpatched_sdk_sends(
    bot_config, shipped_handbook, recorder, monkeypatch
):
    texts = [QUESTION, "hjelp", "noe helt annet som ingen rutine handler om"]
    monkeypatch.setattr(bot.teams.adapter, "REUSE_CONNECTOR_CLIENTS", False)
    await _turns(bot_config, shipped_handbook, recorder, texts)
    sdk = list(recorder.requests)
    recorder.requests.clear()
    monkeypatch.setattr(bot.teams.adapter, "REUSE_CONNECTOR_CLIENTS", True)
    await _turns(bot_config, shipped_handbook, recorder, texts)
    ours = recorder.requests
    assert len(ours) == len(sdk) >= 6
    assert any(r["body"].get("attachments") for r in ours)  # a card is among them
    for theirs, mine in zip(sdk, ours, strict=True):
        assert mine["path"] == theirs["path"]
        assert mine["body"] == theirs["body"]
        for header in ("Content-Type", "Accept", "x-ms-conversation-id", "User-Agent"):
            assert mine["headers"].get(header) == theirs["headers"].get(header), header
        assert "Authorization" not in mine["headers"]  # local mode: no token, as the SDK


async def test_with_an_app_id_replies_carry_the_bearer_token(recorder, monkeypatch):
    credentials = MicrosoftAppCredentials("app-id", "secret")
    monkeypatch.setattr(credentials, "get_access_token", lambda *a, **k: "token-123")
    cache = connector_client.ClientCache()
    client = ConnectorClient(credentials, base_url=recorder.url)
    conversations = connector_client._SharedSessionConversations(client, cache)
    reply = Activity(type="message", text="hei", id=None)
    try:
        response = await conversations.reply_to_activity("a:conv/1", str(uuid.uuid4()), reply)
    finally:
        await cache.close()
    assert response.id == "sent-1"
    sent = recorder.requests[0]
    assert sent["headers"]["Authorization"] == "Bearer token-123"
    assert sent["path"].startswith("/v3/conversations/a%3Aconv%2F1/activities/")


async def test_an_error_status_from_the_connector_is_raised(monkeypatch):
    async def refuse(request):
        return web.Response(status=403, text="forbidden")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", refuse)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    cache = connector_client.ClientCache()
    client = ConnectorClient(MicrosoftAppCredentials(None, None), base_url=str(server.make_url("")))
    conversations = connector_client._SharedSessionConversations(client, cache)
    try:
        with pytest.raises(connector_client.ConnectorError) as raised:
            await conversations.send_to_conversation("c1", Activity(type="message", text="x"))
    finally:
        await cache.close()
        await server.close()
    assert raised.value.status == 403
