"""The handbook on the web: ``GET /rutiner`` (every routine by theme, and search with
``?q=``) and ``GET /rutiner/<id>`` (one whole routine).

The search is the bot's own (:meth:`handbook.Handbook.search`, in a worker thread) with the
bot's confidence decision, its question length limit and its removal of identity numbers.
Nothing asked here is stored. Pages are kept per handbook version and day (the day decides
which reviews are overdue), so a routine page costs a dictionary lookup once it is rendered.
Edits to the handbook show without a restart: the files are checked, off the event loop, at
most once a second.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, timedelta

from aiohttp import web

from bot import pii
from bot.chat.routine_links import ROUTINES_PATH
from handbook import Handbook, SearchResult
from handbook.loader import ID_RE
from schedule import OSLO

from .layout import HEADERS, MAX_QUERY_CHARS, SEARCH_PARAM
from .routine_html import (
    Catalogue,
    Search,
    all_routines,
    list_page,
    not_found_page,
    routine_page,
    too_long_page,
)
from .throttle import Clock, Throttled

log = logging.getLogger(__name__)

#: How often a request may make the handbook files be checked for edits.
CHECK_INTERVAL = timedelta(seconds=1)
#: Hits shown for a question: the best and two more, as in the chat.
HITS = 3
#: A 404 suggests routines for the words of an id no longer than this.
MAX_SUGGESTED_ID = 100


class HandbookPages:
    """The handlers; :meth:`routes` binds them to their paths.

    ``handbook`` is called on each request, since the app opens the handbook at start-up,
    after the routes are mounted.
    """

    def __init__(
        self,
        handbook: Callable[[], Handbook],
        *,
        clock: Clock,
        contact: str = "",
        interval: timedelta = CHECK_INTERVAL,
    ) -> None:
        self._handbook = handbook
        self._clock = clock
        self._contact = contact
        self._refresh = Throttled(clock=clock, interval=interval)
        self._today: date | None = None
        self._catalogue = Catalogue.of(())
        # Kept for the current catalogue and day (see _current): pages, and the routine list.
        self._pages: dict[str, bytes] = {}
        self._listing: str | None = None

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get(ROUTINES_PATH, self.index, name="routines"),
            web.get(ROUTINES_PATH + "/", self.slash),
            web.get(ROUTINES_PATH + "/{routine_id}", self.routine, name="routine"),
        ]

    # -- handlers ---------------------------------------------------------------------------

    async def index(self, request: web.Request) -> web.Response:
        catalogue, today = await self._current()
        listing = self._all_routines()  # before the search is awaited: for this version
        raw = request.query.get(SEARCH_PARAM, "")
        if not raw.strip():
            return _html(self._cached("", lambda: list_page(catalogue, today, listing=listing)))
        redacted = pii.redact(raw)
        query = " ".join(redacted.text.split())
        if len(query) > MAX_QUERY_CHARS:
            log.info("web search refused: %d characters", len(query))
            return _html(too_long_page().encode(), status=400)
        words = query.replace(pii.PLACEHOLDER, " ").strip()
        if words:
            result = await self._search(words)
        else:
            result = SearchResult(query, False, ())
        search = Search(query, result, bool(redacted.found), self._contact)
        return _html(list_page(catalogue, today, search, listing).encode())

    async def routine(self, request: web.Request) -> web.Response:
        catalogue, today = await self._current()
        routine_id = request.match_info["routine_id"]
        routine = catalogue.by_id.get(routine_id)
        if routine is None:
            return await self._not_found(routine_id)
        return _html(self._cached(routine.id, lambda: routine_page(catalogue, routine, today)))

    async def slash(self, request: web.Request) -> web.Response:
        """``/rutiner/`` would break the page's relative links: send it to ``/rutiner``."""
        raise web.HTTPMovedPermanently("../rutiner")

    # -- helpers ----------------------------------------------------------------------------

    async def _not_found(self, routine_id: str) -> web.Response:
        redacted = pii.redact(routine_id)
        suggestions = ()
        if not redacted.found and len(routine_id) <= MAX_SUGGESTED_ID and ID_RE.match(routine_id):
            result = await self._search(routine_id.replace("-", " "))
            suggestions = result.hits
        body = not_found_page(redacted.text, suggestions)
        return _html(body.encode(), status=404)

    async def _search(self, question: str) -> SearchResult:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._handbook().search, question, HITS)

    async def _current(self) -> tuple[Catalogue, date]:
        """The handbook's current version (checked for edits if due) and today's date."""
        handbook = self._handbook()
        await self._refresh.run(handbook.refresh, _refresh_failed)
        today = self._clock().astimezone(OSLO).date()
        routines = handbook.routines
        if self._catalogue.routines is not routines or self._today != today:
            if self._catalogue.routines is not routines:  # the day changes no catalogue
                self._catalogue = Catalogue.of(routines)
            self._pages, self._listing, self._today = {}, None, today
        return self._catalogue, today

    def _all_routines(self) -> str:
        """The routine list of the current version and day (call right after :meth:`_current`)."""
        if self._listing is None:
            self._listing = all_routines(self._catalogue, self._today)
        return self._listing

    def _cached(self, key: str, build: Callable[[], str]) -> bytes:
        page = self._pages.get(key)
        if page is None:
            page = self._pages[key] = build().encode()
        return page


def _refresh_failed() -> None:
    # The handbook reports bad files itself; this is a bug. Keep serving.
    log.exception("rutiner: kunne ikke lese håndboka på nytt")


def _html(body: bytes, status: int = 200) -> web.Response:
    return web.Response(
        body=body, status=status, content_type="text/html", charset="utf-8", headers=HEADERS
    )


def handbook_routes(
    handbook: Callable[[], Handbook], *, clock: Clock, contact: str = ""
) -> list[web.RouteDef]:
    """``/rutiner``, ``/rutiner/`` (a redirect) and ``/rutiner/<id>``."""
    return HandbookPages(handbook, clock=clock, contact=contact).routes()
