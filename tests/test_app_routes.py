"""The bot's app serves the calendar feeds and the page next to /api/messages."""

from __future__ import annotations

from datetime import datetime

from aiohttp.test_utils import TestClient, TestServer

from bot.app import RUNTIME, create_app
from bot.config import Config
from schedule.model import OSLO


async def test_feeds_page_and_health_on_one_app(tmp_path):
    config = Config.from_env({"DATA_DIR": str(tmp_path), "CALENDAR_TOKEN": "hemmelig"})
    app = create_app(config, clock=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=OSLO))
    async with TestClient(TestServer(app)) as client:
        feed = await client.get("/calendar/fredagsprat.ics")
        assert feed.status == 200
        assert "BEGIN:VCALENDAR" in await feed.text()
        assert (await client.get("/calendar/frister.ics")).status == 404
        assert (await client.get("/calendar/frister.ics?token=hemmelig")).status == 200
        page = await client.get("/")
        assert page.status == 200 and "Fredagsprat" in await page.text()
        assert (await client.get("/healthz")).status == 200


async def test_healthz_reports_database_and_index(tmp_path):
    config = Config.from_env({"DATA_DIR": str(tmp_path), "DELIVERY_ENABLED": "false"})
    async with TestClient(TestServer(create_app(config))) as client:
        ok = await client.get("/healthz")
        assert ok.status == 200
        body = await ok.json()
        assert body["database"] == "ok" and body["routines"] == 17
        assert body["handbook_errors"] == 0
        client.app[RUNTIME].store.engine.dispose()
        (tmp_path / "rutinebot.db").unlink()
        (tmp_path / "rutinebot.db").mkdir()  # the database file is gone: unreachable
        down = await client.get("/healthz")
        assert down.status == 503
        assert (await down.json())["database"] == "unreachable"
