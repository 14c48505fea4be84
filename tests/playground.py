"""Drive Microsoft 365 Agents Playground (npm ``@microsoft/m365agentsplayground``) from tests.

The Playground is Microsoft's local Teams client: its web page is the chat UI, and its server
sends real Teams activities to the bot and acts as the Bot Connector the bot replies to (the
activities' ``serviceUrl`` points at it). The web page talks to its server over a small HTTP
API, which these tests use the same way:

* ``POST /_conversation/v1/conversations/{id}/messages`` – a user sends a message
  (``{"from": {"id"}, "text", "textFormat", "mentions": [...]}``); the Playground forwards it to
  the bot in a personal chat, and in a group chat or channel only when the bot is @mentioned.
* ``POST /_conversation/v1/submit`` – a card button (Action.Submit) is pressed
  (``{"conversation": {"id"}, "from": {"id"}, "replyToId": card message id, "value": data}``).
* ``POST /_conversation/v1/invoke`` – ``composeExtension/query`` and other invokes; the HTTP
  response is the bot's invoke response.
* ``POST /_debug/conversation/{id}/installation`` – install the bot (installationUpdate +
  conversationUpdate), as the "Install app" button does.
* ``GET /_internal/v1/customActivities/template?conversationId=&type=uninstall`` and
  ``POST /_internal/v1/customActivities`` – any other activity (uninstall, raw messages).
* ``GET /_internal/v1/testConfig`` – the mocked tenant: user, bot, chat, team and channel ids.
* WebSocket ``/_ws/log/stream`` – the log panel: every activity in both directions with its
  HTTP request and response (history is replayed on connect). Tests read what the bot sent here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from bot.config import Config

ROOT = Path(__file__).parent.parent
CLI = ROOT / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"


#: The Playground's default user (Alex Wilber) as its default config names it.
PLAYGROUND_USER_AAD = "00000000-0000-0000-0000-0000000000020"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@dataclass
class Stack:
    """The bot (``python -m bot``, as ``make run`` starts it) and the Playground pointed at it."""

    bot_url: str
    url: str
    data_dir: Path
    tenant: dict
    processes: list[subprocess.Popen] = field(default_factory=list)
    schedule_dir: Path | None = None  # SCHEDULE_DIR, for tests that give the bot their own

    @property
    def database_url(self) -> str:
        """The bot's database: the default for its DATA_DIR."""
        return Config.from_env({"DATA_DIR": str(self.data_dir)}).database_url

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop(process)

    @property
    def user_id(self) -> str:
        return self.tenant["currentUser"]["id"]

    @property
    def bot(self) -> dict:
        return self.tenant["bot"]

    @property
    def personal_chat(self) -> str:
        return self.tenant["personalChat"]["id"]

    @property
    def group_chat(self) -> dict:
        return self.tenant["groupChats"][0]

    @property
    def team(self) -> dict:
        return self.tenant["teams"][0]


def start_stack(
    data_dir: Path, log_dir: Path, contact: str, extra_env: dict[str, str] | None = None
) -> Stack:
    bot_port, playground_port = free_port(), free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("Microsoft") and k != "DATABASE_URL"
    }
    bot_env = {
        **env,
        "PORT": str(bot_port),
        "DATA_DIR": str(data_dir),
        "HANDBOOK_CONTACT": contact,
        # Reminders follow the real clock; off here so a subscription made in one test cannot
        # post into another test's conversation on some days (the worker has its own tests).
        "DELIVERY_ENABLED": "false",
        **(extra_env or {}),
    }
    with open(log_dir / "bot.log", "w") as bot_log:  # the child keeps its own descriptor
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=ROOT, env=bot_env, stdout=bot_log, stderr=bot_log
        )
    processes = [bot]
    try:
        bot_url = f"http://127.0.0.1:{bot_port}"
        wait_http(bot_url + "/healthz", bot)
        with open(log_dir / "playground.log", "w") as pg_log:
            playground = subprocess.Popen(
                [
                    "node",
                    str(CLI),
                    "start",
                    "-e",
                    f"{bot_url}/api/messages",
                    "-c",
                    "msteams",
                    "-p",
                    str(playground_port),
                    "--dt",
                ],
                cwd=log_dir,
                env={**env, "TEAMSAPPTESTER_BROWSER": "none"},
                stdout=pg_log,
                stderr=pg_log,
            )
        processes.append(playground)
        url = f"http://127.0.0.1:{playground_port}"
        wait_http(url + "/_debug/ping", playground)
        with urllib.request.urlopen(url + "/_internal/v1/testConfig", timeout=10) as response:
            tenant = json.load(response)["config"]
    except BaseException:
        for process in processes:
            stop(process)
        raise
    schedule_dir = bot_env.get("SCHEDULE_DIR")
    return Stack(
        bot_url, url, data_dir, tenant, processes, Path(schedule_dir) if schedule_dir else None
    )


def serve(
    data_dir: Path, log_dir: Path, contact: str, extra_env: dict[str, str] | None = None
) -> Iterator[Stack]:
    """A module fixture's body: ``yield from serve(...)`` starts the stack and stops it after."""
    started = start_stack(data_dir, log_dir, contact, extra_env)
    try:
        yield started
    finally:
        started.stop()


@dataclass
class LogEntry:
    direction: str  # "to_bot" or "from_bot"
    name: str  # activity type or API call name
    conversation_id: str
    request: dict
    response: dict

    @property
    def activity(self) -> dict:
        return self.request.get("body") or {}

    @property
    def id(self) -> str | None:
        body = self.response.get("body")
        return body.get("id") if isinstance(body, dict) else None

    def cards(self) -> list[dict]:
        return [
            a["content"]
            for a in self.activity.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


class Client:
    """One test's connection to the Playground: its HTTP API and its log stream."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.entries: list[LogEntry] = []
        self._session: aiohttp.ClientSession | None = None
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Event()

    async def __aenter__(self) -> Client:
        self._session = aiohttp.ClientSession(self.stack.url)
        ws = self._ws = await self._session.ws_connect("/_ws/log/stream")
        # Skip the replayed history: read until the stream is quiet.
        while True:
            try:
                await asyncio.wait_for(ws.receive(), 0.5)
            except TimeoutError:
                break
        self._reader = asyncio.create_task(self._read(ws))
        return self

    async def __aexit__(self, *exc) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self._ws.close()
        await self._session.close()

    async def _read(self, ws) -> None:
        async for message in ws:
            log = json.loads(message.data).get("log", {})
            if "request" not in log:
                continue
            direction = "from_bot" if log.get("from") == "User Application" else "to_bot"
            self.entries.append(
                LogEntry(
                    direction,
                    log.get("activityName", ""),
                    log.get("conversationId", ""),
                    log.get("request") or {},
                    log.get("response") or {},
                )
            )
            self._changed.set()

    def sent_by_bot(
        self, conversation_id: str | None = None, type: str = "message"
    ) -> list[LogEntry]:
        return [
            e
            for e in self.entries
            if e.direction == "from_bot"
            and e.name == type
            and (conversation_id is None or e.activity["conversation"]["id"] == conversation_id)
        ]

    async def wait_for_bot(self, count: int = 1, timeout: float = 20, **filters) -> list[LogEntry]:
        deadline = time.monotonic() + timeout
        while len(self.sent_by_bot(**filters)) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"bot sent {self.sent_by_bot(**filters)}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                pass
        return self.sent_by_bot(**filters)

    async def quiet(self, seconds: float = 1.5) -> None:
        """Give the bot time to (wrongly) answer; for tests that expect silence."""
        await asyncio.sleep(seconds)

    async def _post(self, path: str, body: dict) -> tuple[int, object]:
        async with self._session.post(path, json=body) as response:
            text = await response.text()
            return response.status, (json.loads(text) if text else None)

    async def send(
        self, conversation_id: str, text: str, *, mention_bot: bool = False, user: str = ""
    ) -> dict:
        body = {"from": {"id": user or self.stack.user_id}, "text": text, "textFormat": "plain"}
        if mention_bot:
            tag = f"<at>{self.stack.bot['name']}</at>"
            body["text"] = f"{tag} {text}"
            body["mentions"] = [{"mentioned": {"id": self.stack.bot["id"]}, "text": tag}]
        status, result = await self._post(
            f"/_conversation/v1/conversations/{conversation_id}/messages", body
        )
        assert status == 200, result
        return result

    async def submit(self, conversation_id: str, card_message_id: str, value: dict) -> None:
        body = {
            "conversation": {"id": conversation_id},
            "from": {"id": self.stack.user_id},
            "replyToId": card_message_id,
            "value": value,
        }
        status, result = await self._post("/_conversation/v1/submit", body)
        assert status == 200, result

    async def invoke(self, conversation_id: str, name: str, value: dict) -> tuple[int, object]:
        body = {
            "name": name,
            "value": value,
            "from": {"id": self.stack.user_id},
            "conversation": {"id": conversation_id},
        }
        return await self._post("/_conversation/v1/invoke", body)

    async def install(self, conversation_id: str) -> None:
        status, result = await self._post(
            f"/_debug/conversation/{conversation_id}/installation", {}
        )
        assert status == 200, result

    async def template(self, conversation_id: str, kind: str) -> dict:
        params = {"conversationId": conversation_id, "type": kind}
        async with self._session.get("/_internal/v1/customActivities/template", params=params) as r:
            assert r.status == 200, await r.text()
            return await r.json()

    async def custom(self, activity: dict) -> None:
        status, result = await self._post("/_internal/v1/customActivities", activity)
        assert status == 200, result


@pytest.fixture
async def playground(stack):
    """A test's connection to the module's ``stack`` (each end-to-end module starts its own)."""
    async with Client(stack) as client:
        yield client
