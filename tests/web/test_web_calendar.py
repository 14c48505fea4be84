"""The calendar feeds over HTTP: content, caching headers, the private feed's token, reloads."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from icalendar import Calendar

from bot.web.access_log import RedactingAccessLogger
from bot.web.calendar import calendar_routes
from bot.web.schedule_provider import ScheduleProvider
from schedule import OSLO, fredagsprat_calendar, load
from tests.conftest import BASE_URL, NOW, line_of
from tests.web_support import FakeClock, copy_shipped, edit, serve

TOKEN = "Hemmelig-token-0123456789abcdef"
FEED = "/calendar/fredagsprat.ics"
PRIVATE = "/calendar/frister.ics"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def schedule_dir(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path)


@pytest.fixture
def provider(schedule_dir: Path, clock: FakeClock) -> ScheduleProvider:
    return ScheduleProvider.open(schedule_dir, clock=clock, interval=timedelta(seconds=5))


@pytest.fixture
async def client(provider: ScheduleProvider, clock: FakeClock) -> AsyncIterator[TestClient]:
    routes = calendar_routes(provider, public_base_url=BASE_URL, calendar_token=TOKEN, clock=clock)
    async with serve(routes) as client:
        yield client


def events(body: bytes) -> dict[str, dict[str, str]]:
    calendar = Calendar.from_ical(body)
    return {
        str(e["UID"]): {k: str(v) for k, v in e.items() if k in ("SUMMARY", "STATUS")}
        for e in calendar.walk("VEVENT")
    }


# --- the public feed ----------------------------------------------------------------------------


async def test_public_feed_is_the_librarys_feed_as_text_calendar(
    client: TestClient, schedule_dir: Path
) -> None:
    response = await client.get(FEED)
    body = await response.read()

    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert body == fredagsprat_calendar(load(schedule_dir)[0], NOW, BASE_URL)
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Fredagsprat med Statsforvalteren"
    cancelled = events(body)["fredagsprat-fredagsprat-2027-05@rutinebot.example.no"]
    assert cancelled["STATUS"] == "CANCELLED"


async def test_etag_is_strong_and_a_match_gets_304_without_a_body(client: TestClient) -> None:
    first = await client.get(FEED)
    tag = first.headers["ETag"]
    assert tag.startswith('"') and tag.endswith('"') and len(tag) > 10  # strong: no W/

    again = await client.get(FEED, headers={"If-None-Match": tag})
    assert again.status == 304
    assert await again.read() == b""
    assert again.headers["ETag"] == tag
    assert again.headers["Cache-Control"] == "public, max-age=300"

    for header in (f'"other", {tag}', f"W/{tag}", "*"):
        response = await client.get(FEED, headers={"If-None-Match": header})
        assert response.status == 304, header

    stale = await client.get(FEED, headers={"If-None-Match": '"something-else"'})
    assert stale.status == 200
    assert await stale.read() == await first.read()


async def test_head_answers_with_the_headers_and_no_body(client: TestClient) -> None:
    get = await client.get(FEED)
    head = await client.head(FEED)

    assert head.status == 200
    assert await head.read() == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"


async def test_the_90_day_window_moves_with_the_clock(
    client: TestClient, clock: FakeClock, schedule_dir: Path
) -> None:
    schedule = load(schedule_dir)[0]
    uid = "fredagsprat-fredagsprat-2026-09@rutinebot.example.no"  # 25 September 2026 12:00

    clock.now = datetime(2026, 12, 24, 11, 59, tzinfo=OSLO)  # 89 days 23 h 59 min later
    inside = await client.get(FEED)
    assert uid in events(await inside.read())

    clock.advance(minutes=2)
    after = await client.get(FEED, headers={"If-None-Match": inside.headers["ETag"]})
    body = await after.read()
    assert after.status == 200
    assert uid not in events(body)
    assert body == fredagsprat_calendar(schedule, clock.now, BASE_URL)


# --- one session ---------------------------------------------------------------------------------


async def test_one_session_downloads_as_a_named_file(client: TestClient) -> None:
    response = await client.get("/calendar/fredagsprat/fredagsprat-2027-01.ics")
    body = await response.read()

    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="fredagsprat-2027-01.ics"'
    )
    assert list(events(body)) == ["fredagsprat-fredagsprat-2027-01@rutinebot.example.no"]

    cached = await client.get(
        "/calendar/fredagsprat/fredagsprat-2027-01.ics",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert cached.status == 304


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/fredagsprat/fredagsprat-2099-01.ics",
        "/calendar/fredagsprat/FREDAGSPRAT-2027-01.ics",
        "/calendar/fredagsprat/..%2Ffrister.ics",
        "/calendar/fredagsprat/.ics",
    ],
)
async def test_unknown_session_is_404(client: TestClient, path: str) -> None:
    response = await client.get(path)
    assert response.status == 404


# --- the private feed ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("configured", "query", "status"),
    [
        ("", "", 404),
        ("", "?token=", 404),
        ("", f"?token={TOKEN}", 404),
        (TOKEN, "", 404),
        (TOKEN, "?token=", 404),
        (TOKEN, "?token=wrong", 404),
        (TOKEN, f"?token={TOKEN[:-1]}", 404),
        (TOKEN, f"?token={TOKEN}x", 404),
        (TOKEN, "?token=s%C3%B8t", 404),  # not ASCII: still a plain 404, not a 500
        (TOKEN, f"?token={TOKEN}", 200),
    ],
)
async def test_private_feed_needs_the_configured_token(
    provider: ScheduleProvider, clock: FakeClock, configured: str, query: str, status: int
) -> None:
    routes = calendar_routes(
        provider, public_base_url=BASE_URL, calendar_token=configured, clock=clock
    )
    async with serve(routes) as client:
        response = await client.get(PRIVATE + query)
        assert response.status == status


async def test_private_feed_content_and_caching(client: TestClient) -> None:
    response = await client.get(PRIVATE, params={"token": TOKEN})
    body = await response.read()

    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=300"
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Frister og årshjul – sosiale tjenester"
    assert any("RRULE" in e for e in calendar.walk("VEVENT"))
    assert any(str(e["SUMMARY"]).startswith("Evalueringsfrist") for e in calendar.walk("VEVENT"))

    cached = await client.get(
        PRIVATE, params={"token": TOKEN}, headers={"If-None-Match": response.headers["ETag"]}
    )
    assert cached.status == 304
    # A wrong token gets 404 even with the right ETag: nothing is confirmed without the secret.
    probe = await client.get(
        PRIVATE, params={"token": "x"}, headers={"If-None-Match": response.headers["ETag"]}
    )
    assert probe.status == 404


async def test_the_token_is_never_logged(
    provider: ScheduleProvider, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    # With the access log the app must use (aiohttp's default one writes the query string).
    caplog.set_level(logging.DEBUG)
    routes = calendar_routes(provider, public_base_url=BASE_URL, calendar_token=TOKEN, clock=clock)
    async with serve(routes, access_log_class=RedactingAccessLogger) as client:
        assert (await client.get(PRIVATE, params={"token": TOKEN})).status == 200
        assert (await client.get(PRIVATE, params={"token": TOKEN + "x"})).status == 404

    access = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert len(access) == 2 and all("token=REDACTED" in line for line in access)
    assert all(TOKEN not in record.getMessage() for record in caplog.records)


# --- reloading -----------------------------------------------------------------------------------


async def test_an_edit_shows_without_a_restart(
    client: TestClient, clock: FakeClock, schedule_dir: Path
) -> None:
    first = await client.get(FEED)
    tag = first.headers["ETag"]
    edit(
        schedule_dir / "sessions.yaml",
        "topic: Tilgjengelighet til sosiale tjenester",
        "topic: Digital tilgjengelighet og lange køer",
    )

    soon = await client.get(FEED, headers={"If-None-Match": tag})
    assert soon.status == 304  # within the refresh interval the files are not looked at

    clock.advance(seconds=5)
    later = await client.get(FEED, headers={"If-None-Match": tag})
    body = await later.read()
    assert later.status == 200
    assert later.headers["ETag"] != tag
    summary = events(body)["fredagsprat-fredagsprat-2026-11@rutinebot.example.no"]["SUMMARY"]
    assert summary == "Fredagsprat med Statsforvalteren: Digital tilgjengelighet og lange køer"


async def test_a_broken_edit_keeps_the_last_good_feed_and_is_logged_once(
    client: TestClient,
    clock: FakeClock,
    schedule_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="schedule")
    good = await client.get(FEED)
    good_body = await good.read()
    sessions = schedule_dir / "sessions.yaml"
    edit(sessions, "date: 2027-02-26", "date: 2027-02-30")  # no such date
    bad_line = line_of(sessions.read_text("utf-8"), "2027-02-30")

    clock.advance(seconds=5)
    response = await client.get(FEED)
    assert response.status == 200
    assert await response.read() == good_body
    assert response.headers["ETag"] == good.headers["ETag"]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(f"sessions.yaml:{bad_line}:" in m for m in errors), errors
    assert sum("siste gyldige versjon" in m for m in errors) == 1

    caplog.clear()
    for _ in range(3):
        clock.advance(seconds=5)
        again = await client.get(FEED, headers={"If-None-Match": good.headers["ETag"]})
        assert again.status == 304
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []

    edit(sessions, "date: 2027-02-30", "date: 2027-02-19")
    clock.advance(seconds=5)
    fixed = await client.get(FEED)
    assert fixed.headers["ETag"] != good.headers["ETag"]
    assert "20270219T120000" in (await fixed.read()).decode()
