"""Helpers for the web tests: a clock that tests move, an in-process server, schedule copies."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from schedule import SHIPPED_DIR


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def copy_shipped(tmp_path: Path) -> Path:
    """A copy of the shipped example schedule that a test may edit."""
    target = tmp_path / "schedule"
    shutil.copytree(SHIPPED_DIR, target)
    return target


def rewrite(path: Path, text: str) -> None:
    """Write and move the mtime on, so the change is seen even within one clock tick."""
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, "utf-8")
    os.utime(path, ns=(old + 1_000_000_000, old + 1_000_000_000))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    rewrite(path, text.replace(old, new, 1))


@asynccontextmanager
async def serve(
    routes: Iterable[web.RouteDef], *, port: int | None = None, **runner: Any
) -> AsyncIterator[TestClient]:
    """An app with ``routes`` on a real 127.0.0.1 socket, and a client for it.

    ``runner`` goes to aiohttp's ``AppRunner`` (e.g. ``access_log_class``); ``TestServer``
    itself would silently drop such arguments.
    """
    app = web.Application()
    app.add_routes(list(routes))
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server(**runner)
    async with TestClient(server) as client:
        yield client
