"""A local fake Bot Connector for the bot benchmark: accepts whatever the bot sends to
``/v3/conversations/{id}/activities[/{activityId}]`` (200 with ``{"id": ...}``) and records when
each activity arrives, so a load driver in the same process can wait for a conversation's reply.

    connector = FakeConnector()
    await connector.start()          # 127.0.0.1, a free port; connector.url is the serviceUrl
    waiting = connector.expect_reply("conv-1")   # before sending the bot the question
    arrival = await asyncio.wait_for(waiting, 10)
    await connector.stop()
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Arrival:
    conversation: str
    type: str
    at: float  # time.perf_counter() when the request reached the connector


@dataclass
class FakeConnector:
    url: str = ""
    arrivals: list[Arrival] = field(default_factory=list)
    keep: int = 10_000  # bounded: only the last ``keep`` arrivals are kept
    _waiters: dict[str, asyncio.Future] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=itertools.count)
    _runner: web.AppRunner | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0]
        self.url = f"http://{bound[0]}:{bound[1]}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def expect_reply(self, conversation: str) -> asyncio.Future:
        """A future that gets the :class:`Arrival` of the next message in ``conversation``."""
        future = asyncio.get_running_loop().create_future()
        self._waiters[conversation] = future
        return future

    async def _handle(self, request: web.Request) -> web.Response:
        at = time.perf_counter()
        if request.method == "GET":  # member look-ups and the like
            return web.json_response({"id": "29:bench-user", "name": "Bench"})
        body = await request.json()
        parts = request.path.split("/")
        conversation = parts[3] if len(parts) > 3 and parts[2] == "conversations" else ""
        arrival = Arrival(conversation, body.get("type", ""), at)
        self.arrivals.append(arrival)
        if len(self.arrivals) > self.keep:
            del self.arrivals[: len(self.arrivals) - self.keep]
        if arrival.type == "message":
            future = self._waiters.pop(conversation, None)
            if future is not None and not future.done():
                future.set_result(arrival)
        return web.json_response({"id": f"bench-{next(self._ids)}"})
