"""The adapter layer: authentication before our code, clean statuses for bad input, and the
workaround for CloudAdapter's double serialisation of invoke responses."""

from __future__ import annotations

import io
import json
import logging
import time
from datetime import datetime

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.integration.aiohttp import CloudAdapter
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.app import RUNTIME, create_app
from bot.chat import card_actions as ca
from bot.chat.replies import TOO_LONG, UNKNOWN_BUTTON
from bot.config import Config
from handbook.model import INTRO_HEADING
from tests.bot_fixtures import activity

APP_ID = "11111111-2222-3333-4444-555555555555"
COMPOSE_QUERY = {
    "name": "composeExtension/query",
    "value": {"commandId": "searchRoutines", "parameters": [{"name": "query", "value": "klage"}]},
}


def adapter_logs(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.teams.adapter"]


def store(client):
    return client.server.app[RUNTIME].store


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"{not json", {"Content-Type": "application/json"}, 400),
        (b"\xff\xfe\x00", {"Content-Type": "application/json"}, 400),
        (b"[1, 2, 3]", {"Content-Type": "application/json"}, 400),
        (b'{"type": "message", "text": "hei"}', {"Content-Type": "text/plain"}, 415),
        (
            b'{"type": "message", "from": {"id": 7}, "entities": "x"}',
            {"Content-Type": "application/json"},
            400,
        ),
    ],
)
async def test_malformed_requests_get_a_clean_status_logged_once(
    bot_client, connector, caplog, body, headers, status
):
    response = await bot_client.post("/api/messages", data=body, headers=headers)
    assert response.status == status
    assert len(adapter_logs(caplog)) == 1
    assert connector.activities == []
    assert (await bot_client.get("/healthz")).status == 200  # still serving


async def test_activity_without_conversation_is_refused(bot_client, connector, caplog):
    body = activity(connector, "hei")
    del body["conversation"]
    response = await bot_client.post("/api/messages", json=body)
    assert response.status == 400
    assert "conversation" in (await response.json())["error"]
    assert len(adapter_logs(caplog)) == 1
    assert connector.activities == []


async def test_activity_without_type_is_refused(bot_client, connector):
    body = activity(connector, "hei")
    del body["type"]
    assert (await bot_client.post("/api/messages", json=body)).status == 400


async def test_unknown_activity_type_is_acknowledged_and_ignored(bot_client, connector, caplog):
    caplog.set_level(logging.INFO)
    response = await bot_client.post(
        "/api/messages", json=activity(connector, None, type="somethingNew")
    )
    assert response.status == 200
    assert connector.activities == []
    assert len([r for r in caplog.records if "unknown type" in r.getMessage()]) == 1


async def test_a_100_kb_message_gets_a_polite_reply_and_is_not_stored(bot_client, connector):
    text = "hvordan skriver jeg vedtak " * 4000  # ~100 kB
    assert len(text.encode()) > 100_000
    response = await bot_client.post("/api/messages", json=activity(connector, text))
    assert response.status == 200
    assert connector.texts()[-1] == TOO_LONG
    assert store(bot_client).unanswered() == []


async def test_a_request_over_a_megabyte_is_refused(bot_client, connector):
    text = "x" * (1024 * 1024 + 10)
    data = io.BytesIO(json.dumps(activity(connector, text)).encode())
    headers = {"Content-Type": "application/json"}
    response = await bot_client.post("/api/messages", data=data, headers=headers)
    assert response.status == 413
    assert connector.activities == []


@pytest.mark.parametrize(
    "value",
    [
        {"rutinebot": "drop_table"},
        {"rutinebot": "feedback", "routine_id": "klage", "vote": "maybe"},
        {"rutinebot": "feedback", "routine_id": "klage", "vote": ["up"]},
        {"rutinebot": "feedback", "routine_id": "x" * 5000, "vote": "up"},
        {"something": "else"},
        "just a string",
        [],
    ],
)
async def test_forged_card_submit_gets_a_polite_message(bot_client, connector, value):
    response = await bot_client.post("/api/messages", json=activity(connector, None, value=value))
    assert response.status == 200
    assert connector.texts() == [UNKNOWN_BUTTON]
    assert store(bot_client).votes() == []


async def test_card_submit_without_payload_is_treated_as_text(bot_client, connector):
    body = activity(connector, "")
    response = await bot_client.post("/api/messages", json=body)
    assert response.status == 200
    assert "Hva lurer du på" in connector.texts()[-1]


async def test_vote_for_a_routine_that_does_not_exist(bot_client, connector):
    value = ca.action_data(ca.FEEDBACK, routine_id="finnes-ikke", section="x", vote="up")
    response = await bot_client.post("/api/messages", json=activity(connector, None, value=value))
    assert response.status == 200
    assert "finnes-ikke" in connector.texts()[-1]
    assert store(bot_client).votes() == []


async def test_a_failing_turn_is_logged_once_and_the_user_told(
    bot_client, connector, caplog, monkeypatch
):
    replies = bot_client.server.app[RUNTIME].bot.replies

    async def broken(*_args):
        raise RuntimeError("search index gone")

    monkeypatch.setattr(replies, "question", broken)
    response = await bot_client.post(
        "/api/messages", json=activity(connector, "bruker 15076500565 har spørsmål")
    )
    assert response.status == 200
    assert "noe gikk galt" in connector.texts()[-1]
    errors = [r for r in adapter_logs(caplog) if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "15076500565" not in caplog.text
    assert (await bot_client.get("/healthz")).status == 200


# -- invoke responses -------------------------------------------------------------------------


async def test_compose_extension_query_returns_results(bot_client, connector):
    body = activity(connector, None, type="invoke", **COMPOSE_QUERY)
    response = await bot_client.post("/api/messages", json=body)
    assert response.status == 200
    result = (await response.json())["composeExtension"]
    assert result["type"] == "result"
    assert result["attachments"][0]["content"]["body"][0]["text"] == "Klage på vedtak"
    assert result["attachments"][0]["preview"]["content"]["title"] == "Klage på vedtak"


async def test_unpatched_cloud_adapter_fails_on_the_same_query(
    bot_client, connector, bot_config, shipped_handbook
):
    """The upstream bug the adapter works around (microsoft/teams-sdk#2547): if this test
    starts failing, botbuilder fixed it and RutineAdapter.handle's workaround can go."""
    runtime = bot_client.server.app[RUNTIME]
    plain = CloudAdapter(runtime.adapter.bot_framework_authentication)

    async def messages(request):
        return await plain.process(request, runtime.bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    async with TestClient(TestServer(app)) as client:
        body = activity(connector, None, type="invoke", **COMPOSE_QUERY)
        response = await client.post("/api/messages", json=body)
        assert response.status == 500


async def test_empty_compose_query_lists_the_most_used_routines(bot_client, connector):
    for _ in range(2):
        await bot_client.post("/api/messages", json=activity(connector, "rutine akutt-hjelp"))
    await bot_client.post("/api/messages", json=activity(connector, "rutine klage"))
    query = {
        "name": "composeExtension/query",
        "value": {"commandId": "searchRoutines", "parameters": [{"name": "query", "value": ""}]},
    }
    response = await bot_client.post(
        "/api/messages", json=activity(connector, None, type="invoke", **query)
    )
    previews = [
        a["preview"]["content"] for a in (await response.json())["composeExtension"]["attachments"]
    ]
    runtime = bot_client.server.app[RUNTIME]
    used = [runtime.handbook.routine(r) for r in ("akutt-hjelp", "klage")]
    assert [p["title"] for p in previews[:2]] == [r.title for r in used]
    assert len(previews) == 5
    # each shows what the routine is for: its introduction, under that heading
    assert previews[0]["subtitle"] == INTRO_HEADING
    assert previews[0]["text"] == used[0].summary[:200]


# -- authentication ---------------------------------------------------------------------------


@pytest.fixture
def signing_key(monkeypatch):
    """Stands in for the Bot Framework's token service: its OpenID keys are ours."""
    from botframework.connector.auth import jwt_token_extractor

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid="test-key", endorsements=["msteams"])

    async def refresh(self):
        self.keys = [jwk]
        self.last_updated = datetime.now()

    monkeypatch.setattr(jwt_token_extractor._OpenIdMetadata, "_refresh", refresh)
    monkeypatch.setattr(jwt_token_extractor.JwtTokenExtractor, "metadataCache", {})
    return key


def token(key, service_url: str, audience: str = APP_ID) -> str:
    now = int(time.time())
    claims = {
        "iss": "https://api.botframework.com",
        "aud": audience,
        "serviceurl": service_url,
        "nbf": now - 10,
        "exp": now + 600,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "test-key"})


@pytest.fixture
async def secured_client(tmp_path, shipped_handbook):
    config = Config.from_env(
        {"DATA_DIR": str(tmp_path / "data"), "MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "s"}
    )
    assert not config.local_only and config.host == "0.0.0.0"
    async with TestClient(TestServer(create_app(config, handbook=shipped_handbook))) as client:
        yield client


def channel_chatter(connector) -> dict:
    # A channel message without @mention: the bot accepts it and stays silent (no outbound call).
    return activity(connector, "hei alle", conversation_type="channel", conversation_id="19:c")


@pytest.mark.parametrize(
    "header",
    [None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-jwt", "Bearer a.b.c"],
)
async def test_requests_without_a_valid_token_get_401(secured_client, connector, header):
    headers = {"Authorization": header} if header is not None else {}
    body = activity(connector, "hei")
    response = await secured_client.post("/api/messages", json=body, headers=headers)
    assert response.status == 401
    assert connector.activities == []
    assert store(secured_client).conversations() == []


async def test_401_comes_before_the_body_is_read(secured_client):
    response = await secured_client.post(
        "/api/messages", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status == 401


async def test_token_for_another_bot_gets_401(secured_client, connector, signing_key):
    bad = token(signing_key, connector.url, audience="someone-else")
    response = await secured_client.post(
        "/api/messages", json=channel_chatter(connector), headers={"Authorization": f"Bearer {bad}"}
    )
    assert response.status == 401


async def test_token_signed_by_another_key_gets_401(secured_client, connector, signing_key):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = token(other, connector.url)
    response = await secured_client.post(
        "/api/messages",
        json=channel_chatter(connector),
        headers={"Authorization": f"Bearer {forged}"},
    )
    assert response.status == 401


async def test_valid_token_is_accepted(secured_client, connector, signing_key):
    good = token(signing_key, connector.url)
    response = await secured_client.post(
        "/api/messages",
        json=channel_chatter(connector),
        headers={"Authorization": f"Bearer {good}"},
    )
    assert response.status == 200
