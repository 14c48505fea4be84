"""Fixtures for the bot's tests: a recording Bot Connector, the app on a real port, activities.

The Bot Connector is the one part of Teams' cloud these in-process tests stand in for; it is a
real HTTP server on 127.0.0.1 that records every activity the bot sends. The end-to-end tests in
test_e2e_playground.py use Microsoft's Agents Playground instead.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.config import Config
from handbook import Handbook
from schedule import OSLO

# "Now" for the bot in these tests: the shipped schedule's next Fredagsprat is 27 November 2026.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=OSLO)
BOT_ID = "28:rutinebot"
USER = {"id": "29:caseworker", "name": "Kari Veileder", "aadObjectId": "aad-kari"}
CONTACT = "Fagansvarlig Ola, ola@nav.no"


@dataclass
class Connector:
    """A stand-in Bot Connector: records what the bot sends, answers like the real one."""

    url: str = ""
    activities: list[dict] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of each POST/PUT
    _ids: itertools.count = field(default_factory=itertools.count)
    _event: asyncio.Event = field(default_factory=asyncio.Event)

    def messages(self) -> list[dict]:
        return [a for a in self.activities if a.get("type") == "message"]

    def cards(self) -> list[dict]:
        return [
            att["content"]
            for a in self.messages()
            for att in a.get("attachments") or []
            if att.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    def texts(self) -> list[str]:
        return [a.get("text") or "" for a in self.messages()]

    async def handle(self, request: web.Request) -> web.Response:
        if request.method == "GET":  # TeamsInfo.get_member and friends
            return web.json_response({**USER, "userRole": "user"})
        self.activities.append(await request.json())
        self.calls.append((request.method, request.path))
        self._event.set()
        return web.json_response({"id": f"sent-{next(self._ids)}"}, status=201)


@asynccontextmanager
async def catch_all_server(handle) -> AsyncIterator[str]:
    """A server on 127.0.0.1 that sends every request to ``handle``; yields its base URL."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


@pytest.fixture
async def connector():
    recorder = Connector()
    async with catch_all_server(recorder.handle) as url:
        recorder.url = url
        yield recorder


@pytest.fixture(scope="session")
def shipped_handbook(tmp_path_factory) -> Handbook:
    """The shipped handbook, indexed once for the whole session (read-only). On disk: Whoosh's
    in-memory index writes through a fixed /tmp/MAIN.tmp that other processes share."""
    handbook = Handbook.open(index_dir=tmp_path_factory.mktemp("index"))
    yield handbook
    handbook.close()


@pytest.fixture
def bot_config(tmp_path: Path) -> Config:
    # The outbox worker is tested on its own (test_worker.py); here it would only add sends
    # to the recording connector whenever the real clock passes a planned reminder.
    return Config.from_env(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "HANDBOOK_CONTACT": CONTACT,
            "PORT": "3978",
            "DELIVERY_ENABLED": "false",
        }
    )


@pytest.fixture
async def bot_client(bot_config: Config, shipped_handbook: Handbook):
    app = create_app(bot_config, handbook=shipped_handbook, clock=lambda: NOW)
    client = TestClient(TestServer(app))
    await client.start_server()
    yield client
    await client.close()


def activity(
    connector: Connector,
    text: str | None = "hei",
    *,
    type: str = "message",
    conversation_type: str = "personal",
    conversation_id: str = "a:personal-1",
    **extra,
) -> dict:
    body = {
        "type": type,
        "id": str(uuid.uuid4()),
        "channelId": "msteams",
        "serviceUrl": connector.url,
        "from": USER,
        "recipient": {"id": BOT_ID, "name": "Rutinebot"},
        "conversation": {
            "id": conversation_id,
            "conversationType": conversation_type,
            "tenantId": "tenant-1",
        },
        "channelData": {"tenant": {"id": "tenant-1"}},
        **extra,
    }
    if text is not None and type == "message":
        body["text"] = text
    return body


def mention(text: str) -> dict:
    """A message text and entity that @mention the bot, as Teams sends them."""
    return {
        "text": f"<at>Rutinebot</at> {text}",
        "entities": [
            {
                "type": "mention",
                "text": "<at>Rutinebot</at>",
                "mentioned": {"id": BOT_ID, "name": "Rutinebot"},
            }
        ],
    }


def added_to_team(connector: Connector, channel_id: str) -> dict:
    """The conversationUpdate Teams sends when the bot is added to a team whose General channel
    (and team id) is ``channel_id``."""
    return activity(
        connector,
        None,
        type="conversationUpdate",
        conversation_type="channel",
        conversation_id=channel_id,
        membersAdded=[{"id": BOT_ID}],
        channelData={"team": {"id": channel_id}, "tenant": {"id": "tenant-1"}},
    )
