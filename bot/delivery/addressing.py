"""Messages outside a turn (proactive): addressed from a stored conversation reference, and
sent with connector clients made once from the adapter's credentials. Shared by the sender
(new messages) and the card updater (replacing a posted card). Bot Framework types stay here
and in those two modules.
"""

from __future__ import annotations

from botbuilder.schema import Activity, ActivityTypes, ConversationAccount, ConversationReference

from bot.store import ConversationRecord


def addressed_message(conversation: ConversationRecord, conversation_id: str = "") -> Activity:
    """An empty message activity to ``conversation``, from the bot, as its stored reference
    says; ``conversation_id`` names a thread (``<channel>;messageid=<id>``) when it goes there."""
    reference = ConversationReference().deserialize(conversation.reference)
    stored = reference.conversation
    tenant_id = conversation.tenant_id or (stored.tenant_id if stored else None)
    return Activity(
        type=ActivityTypes.message,
        channel_id=conversation.channel_id or reference.channel_id,
        service_url=conversation.service_url or reference.service_url,
        from_property=reference.bot,
        recipient=reference.user,
        conversation=ConversationAccount(
            id=conversation_id or conversation.conversation_id,
            conversation_type=conversation.conversation_type,
            tenant_id=tenant_id,
            is_group=stored.is_group if stored else None,
        ),
        channel_data={"tenant": {"id": tenant_id}} if tenant_id else None,
    )


class ProactiveConnector:
    """Connector clients for proactive calls through ``adapter`` (a
    :class:`bot.teams.adapter.RutineAdapter`), its factory made on first use."""

    def __init__(self, adapter, app_id: str = ""):
        self.adapter = adapter
        self.app_id = app_id
        self._factory = None

    async def client(self, service_url: str):
        if self._factory is None:
            claims = self.adapter.create_claims_identity(self.app_id)
            auth = self.adapter.bot_framework_authentication
            self._factory = auth.create_connector_factory(claims)
        return await self._factory.create(service_url, None)
