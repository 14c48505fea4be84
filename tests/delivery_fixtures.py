"""Fixtures for the sending side: a scriptable Bot Connector, a fake clock, conversations."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime

import pytest
from aiohttp import web

from bot.delivery.outbox import Delivery
from bot.store import ConversationRecord, create_db_engine, migrate
from tests.bot_fixtures import catch_all_server
from tests.web_support import FakeClock

BOT = {"id": "28:rutinebot", "name": "Rutinebot"}
T0 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


class Clock(FakeClock):
    """A :class:`~tests.web_support.FakeClock` that starts at ``T0`` unless told otherwise."""

    def __init__(self, now: datetime = T0):
        super().__init__(now)


def migrated(url: str) -> str:
    """``url`` with the bot's schema migrated to the newest revision."""
    engine = create_db_engine(url)
    migrate(engine)
    engine.dispose()
    return url


class ScriptedConnector:
    """A Bot Connector whose answers per conversation are scripted: ``(status, headers)`` in
    turn, then 201. Records every posted activity (with its path) and every answer given."""

    def __init__(self):
        self.url = ""
        self.script: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        self.posts: list[tuple[str, dict, int]] = []  # (path, activity, status answered)
        self._hanging = False
        self.gate: asyncio.Event | None = None  # when set: each answer waits for it
        self.arrived = asyncio.Event()  # a request reached the gate

    def answer(self, conversation_id: str, *answers: tuple[int, dict]) -> None:
        self.script[conversation_id].extend(answers)

    def hang_forever(self) -> None:
        """From now on, never answer (for timeouts)."""
        self._hanging = True

    def delivered(self, conversation_id: str | None = None) -> list[dict]:
        return [
            activity
            for _path, activity, status in self.posts
            if status < 300 and conversation_id in (None, activity["conversation"]["id"])
        ]

    async def handle(self, request: web.Request) -> web.Response:
        activity = await request.json()
        if self._hanging:
            await asyncio.Event().wait()
        if self.gate is not None:
            self.arrived.set()
            await self.gate.wait()
        conversation_id = request.match_info["tail"].split("/")[2]
        queue = self.script.get(conversation_id)
        status, headers = queue.pop(0) if queue else (201, {})
        self.posts.append((request.path, activity, status))
        if status < 300:
            return web.json_response({"id": f"m{len(self.posts)}"}, status=status)
        return web.json_response({"error": {"code": "x"}}, status=status, headers=headers)


@pytest.fixture(name="connector")
async def scripted_connector():
    """``connector``: a :class:`ScriptedConnector` on 127.0.0.1. A test module that imports
    this fixture gets it in place of conftest's recording ``connector``."""
    fake = ScriptedConnector()
    async with catch_all_server(fake.handle) as base:
        fake.url = base
        yield fake


def claimed(conversation_id: str, kind: str, item_id: str, payload: dict) -> Delivery:
    """An outbox row as a worker holds it while sending it (claimed by ``w``, attempt 1)."""
    return Delivery(
        id=1,
        dedupe_key="k",
        conversation_id=conversation_id,
        kind=kind,
        item_id=item_id,
        due_at=T0,
        payload=payload,
        status="sending",
        expires_at=None,
        attempts=1,
        claimed_by="w",
        lease_until=None,
        last_error=None,
        sent_at=None,
        updated_at=T0,
    )


def record(conversation_id: str, service_url: str, kind: str = "channel") -> ConversationRecord:
    user = {"id": "29:leader", "name": "Lene Leder", "aadObjectId": "aad-lene"}
    return ConversationRecord(
        conversation_id=conversation_id,
        channel_id="msteams",
        conversation_type=kind,
        service_url=service_url,
        reference={
            "activityId": "install-1",
            "bot": BOT,
            "user": user,
            "channelId": "msteams",
            "serviceUrl": service_url,
            "conversation": {
                "id": conversation_id,
                "conversationType": kind,
                "tenantID": "tenant-1",  # sic: the SDK's key
            },
        },
        tenant_id="tenant-1",
    )
