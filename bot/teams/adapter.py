"""The Bot Framework adapter: CloudAdapter with Rutinebot's request handling in front of it.

:meth:`RutineAdapter.handle` replaces ``CloudAdapter.process`` (botbuilder-integration-aiohttp
4.17.1) for ``POST /api/messages``, for three reasons, each guarded by a test:

* **Invoke responses** (the compose-extension query): ``process`` runs ``serializer_helper``
  over an invoke body the activity handler has already serialised to a dict, and fails with
  ``'dict' object has no attribute 'is_xml_model'`` (HTTP 500; microsoft/teams-sdk#2547). Here
  a body is serialised only if it is still a model.
* **Authentication first**: with an app id, a request without a Bearer token is refused (401)
  before its body is read, and any failure to validate a token is a 401 (``process`` turns
  only ``PermissionError`` into 401; a malformed token became a 500). The bot's code runs only
  for authenticated activities.
* **Bad input gets a clean status**, logged once: a missing content type or malformed JSON
  (400/415 instead of a 500), an activity without ``type``, ``conversation`` or ``serviceUrl``.
"""

from __future__ import annotations

import json
import logging
import traceback
from dataclasses import dataclass
from http import HTTPStatus

from aiohttp import web
from botbuilder.core import Bot, InvokeResponse, TurnContext, serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes
from msrest.serialization import Model

from bot.config import Config
from bot.teams import openid_refresh
from bot.teams.connector_client import reuse_connector_clients

log = logging.getLogger(__name__)

# Off only to measure the SDK's own behaviour (bench/bot_load.py's "before" row).
REUSE_CONNECTOR_CLIENTS = True

ERROR_REPLY = "Beklager, noe gikk galt hos meg. Prøv igjen om litt."


@dataclass(frozen=True)
class _BotFrameworkSettings:
    """The attribute names ConfigurationBotFrameworkAuthentication reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


def _bad_request(status: HTTPStatus, why: str) -> web.Response:
    log.warning("/api/messages refused (%d): %s", status, why)
    return web.json_response({"error": why}, status=status)


class RutineAdapter(CloudAdapter):
    def __init__(self, config: Config):
        settings = _BotFrameworkSettings(
            APP_ID=config.app_id,
            APP_PASSWORD=config.app_password,
            APP_TYPE=config.app_type,
            APP_TENANTID=config.app_tenant_id,
        )
        super().__init__(ConfigurationBotFrameworkAuthentication(settings))
        self.auth_required = not config.local_only
        self.on_turn_error = self._on_error
        self.client_cache = reuse_connector_clients(self) if REUSE_CONNECTOR_CLIENTS else None
        openid_refresh.install()  # the SDK fetches the token keys on the event loop

    async def handle(self, request: web.Request, bot: Bot) -> web.Response:
        """Everything ``POST /api/messages`` does, from the raw request to the HTTP response."""
        auth_header = request.headers.get("Authorization", "")
        if self.auth_required and not auth_header.startswith("Bearer "):
            log.warning("/api/messages refused (401): no Bearer token")
            return web.Response(status=HTTPStatus.UNAUTHORIZED)
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _bad_request(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "expected application/json")
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return _bad_request(HTTPStatus.BAD_REQUEST, "malformed JSON")
        if not isinstance(body, dict):
            return _bad_request(HTTPStatus.BAD_REQUEST, "an activity must be a JSON object")
        try:
            activity = Activity().deserialize(body)
        except Exception:  # msrest raises several kinds on wrong field types
            return _bad_request(HTTPStatus.BAD_REQUEST, "not a valid activity")
        try:
            auth = await self.bot_framework_authentication.authenticate_request(
                activity, auth_header
            )
        except Exception as error:  # any failure to validate a token means: not authenticated
            log.warning("/api/messages refused (401): %s", type(error).__name__)
            return web.Response(status=HTTPStatus.UNAUTHORIZED)
        problem = _missing_fields(activity)
        if problem:
            return _bad_request(HTTPStatus.BAD_REQUEST, problem)
        invoke_response = await self.process_activity(auth, activity, bot.on_turn)
        return _http_response(invoke_response)

    async def close(self) -> None:
        """Close the shared HTTP session the replies go out on (app shut-down)."""
        if self.client_cache is not None:
            await self.client_cache.close()

    async def _on_error(self, turn_context: TurnContext, error: Exception) -> None:
        # One log record per failed turn; the message text is never logged.
        activity = turn_context.activity
        log.error(
            "turn failed (%s/%s): %s",
            activity.type,
            activity.name or "-",
            "".join(traceback.format_exception(error)).rstrip(),
        )
        if activity.type == ActivityTypes.message:
            try:
                await turn_context.send_activity(ERROR_REPLY)
            except Exception as send_error:
                log.error("could not tell the user about the failure: %s", send_error)


def _missing_fields(activity: Activity) -> str:
    if not activity.type:
        return "activity without type"
    if activity.conversation is None or not activity.conversation.id:
        return "activity without conversation"
    if not activity.service_url:
        return "activity without serviceUrl"
    if activity.recipient is None or activity.from_property is None:
        return "activity without from/recipient"
    return ""


def _http_response(invoke_response: InvokeResponse | None) -> web.Response:
    if invoke_response is None:
        return web.Response(status=HTTPStatus.OK)
    body = invoke_response.body
    if isinstance(body, Model):
        body = serializer_helper(body)
    status = invoke_response.status or HTTPStatus.OK
    if body is None:
        return web.Response(status=status)
    return web.json_response(body, status=status)
