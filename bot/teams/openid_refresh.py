"""The token service's OpenID keys, fetched off the event loop.

botframework-connector 4.17 refreshes them (``_OpenIdMetadata._refresh``: once a day, and when a
token names a key it does not know) with blocking ``requests.get`` calls inside an ``async def``,
without a timeout, on the event loop: while Microsoft's metadata endpoint answers, nothing else
in the bot runs, and if it never answers, the bot hangs. :func:`install` wraps that method so the
SDK's own code runs in a worker thread, one refresh at a time per metadata URL (callers that
queued behind it use its result), and gives up after ``REFRESH_TIMEOUT`` seconds (the request
being validated is then refused with 401, and the next one tries again).
"""

from __future__ import annotations

import asyncio

from botframework.connector.auth import jwt_token_extractor

REFRESH_TIMEOUT = 15.0
_WRAPPED = "_rutinebot_off_the_loop"


def install() -> None:
    """Wrap the SDK's refresh (idempotent; wraps whatever ``_refresh`` is there now)."""
    metadata_class = jwt_token_extractor._OpenIdMetadata
    current = metadata_class._refresh
    if getattr(current, _WRAPPED, False):
        return

    async def _refresh(self) -> None:
        lock = self.__dict__.setdefault("_rutinebot_refresh_lock", asyncio.Lock())
        seen = self.last_updated
        async with lock:
            if self.last_updated != seen:
                return  # refreshed while this caller waited for the lock
            await asyncio.wait_for(asyncio.to_thread(_run, current, self), REFRESH_TIMEOUT)

    setattr(_refresh, _WRAPPED, True)
    metadata_class._refresh = _refresh


def _run(refresh, metadata) -> None:
    """The SDK's coroutine, in this worker thread's own event loop (its blocking calls block
    only this thread)."""
    asyncio.run(refresh(metadata))
