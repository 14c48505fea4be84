"""Real bot processes for the multi-instance tests: ``python -m bot`` as a subprocess with its own
PORT and DATA_DIR, and a recording Bot Connector that can hold its answers.

The connector is the only stand-in (for Teams' cloud). It counts a message as delivered when it
answers it while the sender's connection is still open: a request cut off by a killed process is
not a delivered message, as in Teams, where the sender never learns the outcome and the lease
makes another instance try again. ``hold()`` keeps every answer back, so a test can kill a
process while it has sends under way and claims in hand, and nothing it sent before is left
unrecorded.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import func, select

from bot.config import SETTINGS
from bot.delivery.outbox import OutboxItem
from bot.store.schema import outbox
from tests.playground import free_port

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_HANDBOOK = ROOT / "tests" / "fixtures" / "handbook"
SETTING_NAMES = frozenset(s.name for s in SETTINGS)


@dataclass
class RecordingConnector:
    """A Bot Connector on 127.0.0.1 that records each message per conversation."""

    url: str = ""
    delivered: Counter = field(default_factory=Counter)  # conversation id → messages answered
    texts: dict[str, list[str]] = field(default_factory=dict)  # text and cards, as JSON
    cut_off: int = 0  # requests whose sender was gone by the time of the answer
    held: int = 0  # requests waiting for release() now
    _open: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    _ids: int = 0

    async def start(self) -> RecordingConnector:
        self._open.set()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        self._open.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def hold(self) -> None:
        """From now on, keep every answer back until :meth:`release`."""
        self._open.clear()

    def release(self) -> None:
        """Answer what is held. After killing a process, give the event loop a moment first
        to notice its connections closed, or its cut-off requests count as delivered."""
        self._open.set()

    @property
    def total(self) -> int:
        return sum(self.delivered.values())

    async def _handle(self, request: web.Request) -> web.Response:
        if request.method == "GET":
            return web.json_response({"id": "29:user", "name": "Kari Veileder"})
        body = await request.json()
        self.held += 1
        try:
            await self._open.wait()
        finally:
            self.held -= 1
        transport = request.transport
        if transport is None or transport.is_closing():
            self.cut_off += 1
            return web.Response(status=499)
        parts = request.path.split("/")
        if body.get("type") == "message" and len(parts) > 3 and parts[2] == "conversations":
            conversation = parts[3]
            self.delivered[conversation] += 1
            cards = json.dumps(body.get("attachments") or [], ensure_ascii=False)
            self.texts.setdefault(conversation, []).append(f"{body.get('text') or ''}\n{cards}")
        self._ids += 1
        return web.json_response({"id": f"m{self._ids}"}, status=201)


class BotProcess:
    """``python -m bot`` on its own port; its log goes to ``<data_dir>.log``."""

    def __init__(self, data_dir: Path, **settings: str):
        self.port = free_port()
        self.data_dir = data_dir
        self.log_path = data_dir.with_suffix(".log")
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in SETTING_NAMES},  # none leak in
            "PYTHONPATH": str(ROOT),
            "PORT": str(self.port),
            "DATA_DIR": str(data_dir),
            "HANDBOOK_DIR": str(FIXTURE_HANDBOOK),
            "DELIVERY_TICK_SECONDS": "0.2",
            "DELIVERY_LEASE_SECONDS": "4",
            **settings,
        }
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> BotProcess:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"], cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def wait_healthy(self, timeout: float = 60.0) -> None:
        async with aiohttp.ClientSession() as session:
            for _ in range(int(timeout * 10)):
                assert self.process.poll() is None, f"bot exited early:\n{self.log()[-3000:]}"
                try:
                    async with session.get(f"{self.url}/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"bot not healthy within {timeout} s:\n{self.log()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no shut-down code runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    async def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM, then the exit status (the wait is bounded, not a speed check)."""
        self.process.send_signal(signal.SIGTERM)
        return await self.exited(timeout)

    async def exited(self, timeout: float = 30.0) -> int:
        for _ in range(int(timeout * 20)):
            if self.process.poll() is not None:
                return self.process.returncode
            await asyncio.sleep(0.05)
        raise AssertionError(f"bot still running {timeout} s after SIGTERM:\n{self.log()[-3000:]}")

    def stop_quietly(self) -> None:
        """Test clean-up: end this process if it still runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


def broadcast(conversation_ids: list[str], number: int, due_at: datetime) -> list[OutboxItem]:
    """A leader's broadcast ``number`` as outbox rows (as the leader's ``inviter`` will plan it)."""
    item_id = f"broadcast:{number}"
    return [
        OutboxItem(
            dedupe_key=f"broadcast|{item_id}||{cid}",
            conversation_id=cid,
            kind="broadcast",
            item_id=item_id,
            due_at=due_at,
            payload={"text": f"Til alle kontorer: fagdag torsdag (utsending {number})."},
        )
        for cid in conversation_ids
    ]


def status_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status))
        return {status: n for status, n in rows}


def holders(engine) -> Counter:
    """Rows being sent per claiming worker id."""
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.claimed_by).where(outbox.c.status == "sending"))
        return Counter(row.claimed_by for row in rows)


async def until(condition, timeout: float, what: str, every: float = 0.05) -> None:
    """Poll ``condition()`` (a plain function) until true; fail with ``what`` after ``timeout``."""
    for _ in range(int(timeout / every)):
        if condition():
            return
        await asyncio.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
