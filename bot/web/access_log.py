"""An access log that never writes the private calendar feed's token, what someone searched
for, nor an identity number.

aiohttp's default access log line holds the request line (``%r``), query string included, so a
poll of ``/calendar/frister.ics?token=…`` would put the secret in the log, and a search on
``/rutiner?q=…`` whatever the caseworker typed. Pass this class to
``web.run_app(app, access_log_class=RedactingAccessLogger)`` (or to ``AppRunner``): the line
and its format stay aiohttp's, with the value of every secret or private query parameter
replaced (a search may name a client: the bot never logs what people ask, in chat or on the
web), and anything that looks like a fødselsnummer or D-nummer in the path or another query
value replaced as :func:`bot.pii.redact` does.
"""

from __future__ import annotations

from aiohttp.web_log import AccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from bot import pii

from .calendar import TOKEN_PARAM
from .layout import SEARCH_PARAM  # the handbook pages' search (bot/web/routines.py)

SECRET_PARAMS = frozenset({TOKEN_PARAM, SEARCH_PARAM})
REDACTED = "REDACTED"


class RedactingAccessLogger(AccessLogger):
    """aiohttp's ``AccessLogger`` with secret query values replaced by ``REDACTED`` and
    identity numbers by :data:`bot.pii.PLACEHOLDER`."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        url = request.rel_url
        query = url.query
        path = pii.redact(url.path)
        values = [
            (k, REDACTED if k in SECRET_PARAMS else pii.redact(v).text) for k, v in query.items()
        ]
        if path.found or values != list(query.items()):
            safe = (
                url.with_path(path.text).with_query(values)
                if path.found
                else url.with_query(values)
            )
            request = request.clone(rel_url=safe)
        super().log(request, response, time)
