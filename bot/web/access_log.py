"""An access log that never writes the private calendar feed's token.

aiohttp's default access log line holds the request line (``%r``), query string included, so a
poll of ``/calendar/frister.ics?token=…`` would put the secret in the log. Pass this class to
``web.run_app(app, access_log_class=RedactingAccessLogger)`` (or to ``AppRunner``): the line
and its format stay aiohttp's, with the value of every secret query parameter replaced.
"""

from __future__ import annotations

from aiohttp.web_log import AccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from .calendar import TOKEN_PARAM

SECRET_PARAMS = frozenset({TOKEN_PARAM})
REDACTED = "REDACTED"


class RedactingAccessLogger(AccessLogger):
    """aiohttp's ``AccessLogger`` with secret query values replaced by ``REDACTED``."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        query = request.rel_url.query
        if not SECRET_PARAMS.isdisjoint(query):
            safe = [(k, REDACTED if k in SECRET_PARAMS else v) for k, v in query.items()]
            request = request.clone(rel_url=request.rel_url.with_query(safe))
        super().log(request, response, time)
