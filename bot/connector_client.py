"""Reuse the Bot Framework's outbound clients instead of building them on every turn.

botbuilder-python 4.17's ``CloudAdapter`` builds a new ``ConnectorClient`` (for the replies) and
a new ``UserTokenClient`` for every incoming activity. Each construction runs msrest's client
set-up (configuration, retry policy, serializers over every model class): in a profile of a bare
echo bot that was about 40 % of its CPU per turn. A new client also starts with no HTTP
connections, so every reply paid for a new TCP connection.

:func:`reuse_connector_clients` wraps an adapter's ``BotFrameworkAuthentication`` so that both
are built once per (app id, serviceUrl, audience) and then reused. The clients hold no per-turn
state: credentials come from the same credentials factory for the same app id and audience (the
token cache lives in the credentials), and the serviceUrl is part of the key. The cache is
bounded: a serviceUrl comes from the (authenticated) activity, and only a handful exist.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from botframework.connector.auth import BotFrameworkAuthentication, ClaimsIdentity
from botframework.connector.auth.connector_factory import ConnectorFactory

MAX_CLIENTS = 64


class ClientCache:
    """A small LRU of built clients; ``builds`` counts constructions (for tests and figures)."""

    def __init__(self, size: int = MAX_CLIENTS):
        self.size = size
        self.builds = 0
        self._clients: OrderedDict[Hashable, Any] = OrderedDict()

    async def get(self, key: Hashable, build: Callable[[], Awaitable[Any]]) -> Any:
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        client = await build()
        self.builds += 1
        self._clients[key] = client
        while len(self._clients) > self.size:
            self._clients.popitem(last=False)
        return client


class _CachingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, cache: ClientCache):
        self._inner = inner
        self._cache = cache
        self._app_id = getattr(inner, "_app_id", None)

    async def create(self, service_url: str, audience: str = None):
        key = ("connector", self._app_id, type(self._inner), service_url, audience)
        return await self._cache.get(key, lambda: self._inner.create(service_url, audience))


class CachingAuthentication(BotFrameworkAuthentication):
    """Delegates everything to the SDK's authentication; caches the clients it creates."""

    def __init__(self, inner: BotFrameworkAuthentication, cache: ClientCache | None = None):
        self.inner = inner
        self.cache = cache or ClientCache()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def authenticate_request(self, activity, auth_header: str):
        result = await self.inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _CachingConnectorFactory(
                result.connector_factory, self.cache
            )
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str):
        return await self.inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _CachingConnectorFactory(
            self.inner.create_connector_factory(claims_identity), self.cache
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity):
        key = ("user-token", _claims_key(claims_identity))
        return await self.cache.get(
            key, lambda: self.inner.create_user_token_client(claims_identity)
        )

    def create_bot_framework_client(self):
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self.inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self.inner.authenticate_channel_request(auth_header)


def _claims_key(claims_identity: ClaimsIdentity) -> tuple:
    claims = claims_identity.claims or {}
    return tuple(sorted((k, str(v)) for k, v in claims.items() if k in ("aud", "appid", "azp")))


def reuse_connector_clients(adapter) -> ClientCache:
    """Make ``adapter`` (a CloudAdapter) reuse its outbound clients; returns the cache."""
    auth = adapter.bot_framework_authentication
    if not isinstance(auth, CachingAuthentication):
        auth = CachingAuthentication(auth)
        adapter.bot_framework_authentication = auth
    return auth.cache
