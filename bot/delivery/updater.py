"""Replacing a card the bot posted earlier, outside a turn (the leader's report card).

``PUT /v3/conversations/{id}/activities/{activityId}`` at the conversation's stored
``serviceUrl``, through the adapter's credentials and cached connector clients, as
:class:`bot.delivery.sender.Sender` posts. Bot Framework types stay in here; callers pass plain
data (a :class:`~bot.store.ConversationRecord`, the message id and the card).
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from botbuilder.schema import Activity, Attachment

from bot.chat.cards import CONTENT_TYPE
from bot.delivery.addressing import ProactiveConnector, addressed_message
from bot.store import ConversationRecord

log = logging.getLogger(__name__)


def update_activity(
    conversation: ConversationRecord,
    activity_id: str,
    card: dict,
    summary: str = "",
    conversation_id: str = "",
) -> Activity:
    """The message that replaces ``activity_id`` in ``conversation`` with ``card``;
    ``conversation_id`` names the thread (``<channel>;messageid=<id>``) when it is in one."""
    activity = addressed_message(conversation, conversation_id)
    activity.id = activity_id
    activity.summary = summary or None
    activity.attachments = [Attachment(content_type=CONTENT_TYPE, content=card)]
    return activity


class CardUpdater:
    """Updates posted cards through ``adapter`` (a :class:`bot.teams.adapter.RutineAdapter`)."""

    def __init__(self, adapter, app_id: str = "", *, timeout: float = 30.0):
        self.timeout = timeout
        self._connector = ProactiveConnector(adapter, app_id)

    async def update(
        self,
        conversation: ConversationRecord,
        activity_id: str,
        card: dict,
        summary: str = "",
        conversation_id: str = "",
    ) -> bool:
        """Replace the card; False (logged, never raised) when Teams refuses or is unreachable.

        ``conversation_id``: the thread the card is in, when it is not the conversation itself.
        """
        activity = update_activity(conversation, activity_id, card, summary, conversation_id)
        try:
            async with asyncio.timeout(self.timeout):
                client = await self._connector.client(activity.service_url)
                await client.conversations.update_activity(
                    activity.conversation.id, activity_id, activity
                )
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            log.warning("card update failed: %s", type(error).__name__)
            return False
        except Exception as error:  # the SDK raises its own error types for HTTP answers
            log.warning("card update refused: %s", type(error).__name__)
            return False
        return True
