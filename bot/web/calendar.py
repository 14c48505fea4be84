"""Calendar feeds (RFC 5545) over HTTP, for calendar clients that poll every few minutes.

Routes (mount with ``app.add_routes(calendar_routes(...))``):

- ``GET /calendar/fredagsprat.ics``: every session from 90 days back, public.
- ``GET /calendar/frister.ics?token=SECRET``: deadlines and the yearly cycle; 404 unless the
  token equals ``CALENDAR_TOKEN`` (and always 404 when none is configured).
- ``GET /calendar/fredagsprat/<id>.ics``: one session, downloaded as a file ("Legg til i
  kalender"); 404 for an unknown id.

Each answer carries a strong ``ETag``; a matching ``If-None-Match`` gets ``304`` with no body.
Bodies are built in the executor (a feed takes tens of milliseconds) and kept per schedule
version, so a poll that changes nothing costs a dictionary lookup.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from schedule import Schedule, deadlines_calendar, etag, fredagsprat_calendar, session_calendar
from schedule.ics import fredagsprat_sessions

from .schedule_provider import ScheduleProvider

FREDAGSPRAT_PATH = "/calendar/fredagsprat.ics"
DEADLINES_PATH = "/calendar/frister.ics"
SESSION_PATH = "/calendar/fredagsprat/{session_id}.ics"
#: The query parameter that carries the private feed's secret.
TOKEN_PARAM = "token"

CONTENT_TYPE = "text/calendar"
# Clients and proxies may reuse a feed for five minutes, then revalidate with If-None-Match.
# The private feed must never sit in a shared cache: its URL holds a secret.
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, max-age=300"

Build = Callable[[], bytes]


class CalendarFeeds:
    """The feed handlers; :meth:`routes` binds them to their paths."""

    def __init__(
        self,
        schedule: ScheduleProvider,
        *,
        public_base_url: str,
        calendar_token: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._schedule = schedule
        self._base_url = public_base_url.rstrip("/")
        self._token = calendar_token.encode()
        self._clock = clock
        self._fingerprint = ""
        self._bodies: dict[tuple[str, ...], tuple[bytes, str]] = {}

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get(FREDAGSPRAT_PATH, self.fredagsprat, name="calendar-fredagsprat"),
            web.get(DEADLINES_PATH, self.deadlines, name="calendar-frister"),
            web.get(SESSION_PATH, self.session, name="calendar-session"),
        ]

    async def fredagsprat(self, request: web.Request) -> web.StreamResponse:
        schedule = await self._schedule.current()
        now = self._clock()
        # The feed depends on `now` only through which sessions are in the window.
        shown = tuple(s.id for s in fredagsprat_sessions(schedule, now))
        body, tag = await self._body(
            schedule,
            ("fredagsprat", *shown),
            lambda: fredagsprat_calendar(schedule, now, self._base_url),
        )
        return _respond(request, body, tag, PUBLIC_CACHE)

    async def deadlines(self, request: web.Request) -> web.StreamResponse:
        if not self._token_ok(request.query.get(TOKEN_PARAM, "")):
            raise web.HTTPNotFound()
        schedule = await self._schedule.current()
        body, tag = await self._body(
            schedule, ("frister",), lambda: deadlines_calendar(schedule, self._base_url)
        )
        return _respond(request, body, tag, PRIVATE_CACHE)

    async def session(self, request: web.Request) -> web.StreamResponse:
        session_id = request.match_info["session_id"]
        schedule = await self._schedule.current()
        if schedule.session(session_id) is None:
            raise web.HTTPNotFound()
        body, tag = await self._body(
            schedule,
            ("session", session_id),
            lambda: session_calendar(schedule, session_id, self._base_url),
        )
        # Session ids are [a-z0-9-] (the loader checks), so the name needs no quoting rules.
        disposition = f'attachment; filename="{session_id}.ics"'
        return _respond(request, body, tag, PUBLIC_CACHE, disposition)

    def _token_ok(self, given: str) -> bool:
        """Constant-time comparison; no configured token means the feed is off."""
        return bool(self._token) and hmac.compare_digest(given.encode(), self._token)

    async def _body(
        self, schedule: Schedule, key: tuple[str, ...], build: Build
    ) -> tuple[bytes, str]:
        """The feed for ``key`` of this schedule version, built off the loop on a miss."""
        if schedule.fingerprint != self._fingerprint:
            self._bodies.clear()
            self._fingerprint = schedule.fingerprint
        cached = self._bodies.get(key)
        if cached is None:
            body = await asyncio.get_running_loop().run_in_executor(None, build)
            cached = body, etag(body)
            if schedule.fingerprint == self._fingerprint:  # not replaced while we built
                self._bodies[key] = cached
        return cached


def calendar_routes(
    schedule: ScheduleProvider,
    *,
    public_base_url: str,
    calendar_token: str,
    clock: Callable[[], datetime],
) -> list[web.RouteDef]:
    """The three calendar routes; ``public_base_url`` has no trailing slash."""
    feeds = CalendarFeeds(
        schedule, public_base_url=public_base_url, calendar_token=calendar_token, clock=clock
    )
    return feeds.routes()


def _respond(
    request: web.Request, body: bytes, tag: str, cache: str, disposition: str | None = None
) -> web.StreamResponse:
    headers = {"ETag": tag, "Cache-Control": cache}
    if _matches(request, tag):
        return web.Response(status=304, headers=headers)
    if disposition:
        headers["Content-Disposition"] = disposition
    return web.Response(body=body, content_type=CONTENT_TYPE, charset="utf-8", headers=headers)


def _matches(request: web.Request, tag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2): ``W/`` is ignored."""
    wanted = request.if_none_match
    if not wanted:
        return False
    value = tag.strip('"')
    return any(t.value in (value, "*") for t in wanted)
