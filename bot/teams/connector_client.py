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

The two calls every turn makes, ``send_to_conversation`` and ``reply_to_activity``, go out over
one shared aiohttp session (keep-alive, on the event loop) instead of msrest's ``requests`` in a
thread pool: same URL, headers and JSON body as the SDK sends, same ``Authorization`` header
(from the client's own credentials; none in local mode). The body is built by the SDK's own
serializer, except that an attachment's ``content`` that is already plain JSON (our Adaptive
Cards are dicts) is put in as it is rather than walked value by value by msrest. Every other
connector operation (TeamsInfo, update, delete, ...) is the SDK's, unchanged.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from types import SimpleNamespace
from typing import Any

import aiohttp
import yarl
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.auth import BotFrameworkAuthentication, ClaimsIdentity
from botframework.connector.auth.connector_factory import ConnectorFactory

MAX_CLIENTS = 64


class ConnectorError(Exception):
    """The Bot Connector answered a reply with an error status."""

    def __init__(self, status: int, body: str, retry_after: str | None = None):
        super().__init__(f"Bot Connector answered {status}: {body[:200]}")
        self.status = status
        self.retry_after = retry_after  # the raw ``Retry-After`` header, if any


class ClientCache:
    """A small LRU of built clients and the shared HTTP session their replies go out on;
    ``builds`` counts client constructions (for tests and figures)."""

    def __init__(self, size: int = MAX_CLIENTS):
        self.size = size
        self.builds = 0
        self._clients: OrderedDict[Hashable, Any] = OrderedDict()
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=100), skip_auto_headers=("User-Agent",)
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

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
        return await self._cache.get(key, lambda: self._build(service_url, audience))

    async def _build(self, service_url: str, audience: str | None):
        client = await self._inner.create(service_url, audience)
        client.conversations = _SharedSessionConversations(client, self._cache)
        return client


class _SharedSessionConversations:
    """The SDK's ``ConversationsOperations`` with the two reply calls sent over a shared session."""

    def __init__(self, client, cache: ClientCache):
        self._client = client
        self._sdk = client.conversations
        self._cache = cache

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sdk, name)

    async def send_to_conversation(self, conversation_id, activity, **_kwargs):
        url = self._sdk.send_to_conversation.metadata["url"]
        return await self._post(url, conversation_id, activity, conversationId=conversation_id)

    async def reply_to_activity(self, conversation_id, activity_id, activity, **_kwargs):
        url = self._sdk.reply_to_activity.metadata["url"]
        return await self._post(
            url, conversation_id, activity, conversationId=conversation_id, activityId=activity_id
        )

    async def _post(self, template: str, conversation_id: str, activity: Activity, **path):
        client = self._client
        url = client._client.format_url(
            template, **{k: client._serialize.url(k, v, "str") for k, v in path.items()}
        )
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json; charset=utf-8",
            "x-ms-conversation-id": conversation_id,
            "User-Agent": client.config.user_agent,
        }
        signed = SimpleNamespace(headers={})
        client.config.credentials.signed_session(signed)  # as msrest does: token or nothing
        headers.update(signed.headers)
        body = json.dumps(serialize_activity(client._serialize, activity))
        async with self._cache.session().post(
            yarl.URL(url, encoded=True), data=body, headers=headers
        ) as response:
            text = await response.text()
            if response.status not in (200, 201, 202):
                raise ConnectorError(response.status, text, response.headers.get("Retry-After"))
        data = json.loads(text) if text else {}
        return ResourceResponse(id=data.get("id")) if isinstance(data, dict) else None


def serialize_activity(serializer, activity: Activity) -> dict:
    """``serializer.body(activity, "Activity")``, without walking plain-JSON card contents and
    without the deserializer round-trip and validation ``body`` adds."""
    attachments = activity.attachments or []
    contents = [a.content for a in attachments]
    plain = [isinstance(c, dict) and _is_plain_json(c) for c in contents]
    try:
        for attachment, is_plain in zip(attachments, plain, strict=True):
            if is_plain:
                attachment.content = None
        # What ``serializer.body`` does after its round-trip through the deserializer and its
        # client-side validation, both of which cost more than the serialising itself and find
        # nothing in an Activity we built (a test compares the bytes with the SDK's own path).
        body = serializer._serialize(activity, "Activity", is_xml=False)
    finally:
        for attachment, content in zip(attachments, contents, strict=True):
            attachment.content = content
    for out, content, is_plain in zip(body.get("attachments") or [], contents, plain, strict=False):
        if is_plain:
            out["content"] = content
    return body


def _is_plain_json(value: Any) -> bool:
    if isinstance(value, str | int | float | bool) or value is None:
        return True
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_is_plain_json(v) for v in value)
    return False


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
