"""The Teams activity handler: turns Bot Framework activities into calls on :class:`Replies`
and sends back what it returns. Dispatch and sending only; no business logic here.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, ActivityTypes, Attachment, ChannelAccount
from botbuilder.schema.teams import (
    MessagingExtensionAttachment,
    MessagingExtensionQuery,
    MessagingExtensionResponse,
    MessagingExtensionResult,
    TeamInfo,
    TeamsChannelAccount,
)

from bot.chat.cards import CONTENT_TYPE
from bot.chat.replies import Incoming, Replies, Reply
from bot.store import ConversationRecord

log = logging.getLogger(__name__)

# The typing indicator goes out only when the answer takes longer than this: most answers come
# sooner, and each indicator is a request to Teams that counts against the conversation's limit.
TYPING_DELAY = 0.15  # seconds

COMPOSE_COMMAND = "searchRoutines"
COMPOSE_PARAMETER = "query"
_TAG = re.compile(r"<[^>]+>")


class RutineBot(TeamsActivityHandler):
    def __init__(self, replies: Replies):
        self.replies = replies

    # -- messages ---------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        is_button = activity.value is not None and not (activity.text or "").strip()
        if not is_button and _is_shared(activity) and not _mentions_bot(activity):
            return  # channels and group chats: only when @mentioned
        sender = activity.from_property
        incoming = Incoming(
            text=_text_without_mention(activity),
            conversation=_record(turn_context),
            value=activity.value,
            is_button=is_button,
            user_id=(getattr(sender, "aad_object_id", None) or "") if sender else "",
            user_name=(sender.name or "") if sender else "",
            activity_id=activity.id or "",
            reply_to_id=activity.reply_to_id or "",
        )
        typing = _Typing(turn_context)
        try:
            replies = await self.replies.message(incoming)
        finally:
            await typing.done()
        await _send(turn_context, replies, incoming.reply_to_id)

    # -- installation -----------------------------------------------------------------------

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await _send(turn_context, await self.replies.installed(_record(turn_context)))

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self.replies.uninstalled(_conversation_id(turn_context.activity))

    async def on_teams_members_added(
        self,
        teams_members_added: list[TeamsChannelAccount],
        team_info: TeamInfo,
        turn_context: TurnContext,
    ) -> None:
        if _includes_bot(teams_members_added, turn_context):
            await _send(turn_context, await self.replies.installed(_record(turn_context)))

    async def on_teams_members_removed(
        self,
        teams_members_removed: list[TeamsChannelAccount],
        team_info: TeamInfo,
        turn_context: TurnContext,
    ) -> None:
        if _includes_bot(teams_members_removed, turn_context):
            await self.replies.uninstalled(_conversation_id(turn_context.activity))

    # -- compose box ------------------------------------------------------------------------

    async def on_teams_messaging_extension_query(
        self, turn_context: TurnContext, query: MessagingExtensionQuery
    ) -> MessagingExtensionResponse:
        text = ""
        if query.command_id == COMPOSE_COMMAND:
            for parameter in query.parameters or []:
                if parameter.name == COMPOSE_PARAMETER and isinstance(parameter.value, str):
                    text = parameter.value
        results = await self.replies.compose_search(text)
        attachments = [
            MessagingExtensionAttachment(
                content_type=CONTENT_TYPE,
                content=card,
                preview=Attachment(content_type=preview["contentType"], content=preview["content"]),
            )
            for card, preview in results
        ]
        return MessagingExtensionResponse(
            compose_extension=MessagingExtensionResult(
                type="result", attachment_layout="list", attachments=attachments
            )
        )

    async def on_unrecognized_activity_type(self, turn_context: TurnContext) -> None:
        log.info("ignored activity of unknown type %r", (turn_context.activity.type or "")[:40])


class _Typing:
    """Sends the typing indicator if the answer is not ready after ``TYPING_DELAY``; an
    indicator already on its way is let through before the answer, never cut off."""

    def __init__(self, turn_context: TurnContext):
        self._turn_context = turn_context
        self._sending = TYPING_DELAY <= 0
        self._task = asyncio.ensure_future(self._later())

    async def _later(self) -> None:
        if not self._sending:
            await asyncio.sleep(TYPING_DELAY)
            self._sending = True
        await self._turn_context.send_activity(Activity(type=ActivityTypes.typing))

    async def done(self) -> None:
        if self._sending:
            await self._task
        else:
            self._task.cancel()


async def _send(turn_context: TurnContext, replies: list[Reply], reply_to_id: str = "") -> None:
    for reply in replies:
        if reply.card is None:
            message = MessageFactory.text(reply.text)
        else:
            message = MessageFactory.attachment(
                Attachment(content_type=CONTENT_TYPE, content=reply.card)
            )
            message.summary = reply.text  # notifications and clients that cannot show the card
        if reply.update and reply_to_id:
            message.id = reply_to_id
            await turn_context.update_activity(message)
        else:
            await turn_context.send_activity(message)


def _is_shared(activity: Activity) -> bool:
    kind = (activity.conversation.conversation_type or "personal") if activity.conversation else ""
    return kind in ("channel", "groupChat")


def _bot_mentions(activity: Activity) -> list[dict]:
    found = []
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned") or {}
        if activity.recipient and mentioned.get("id") == activity.recipient.id:
            found.append(props)
    return found


def _mentions_bot(activity: Activity) -> bool:
    return bool(_bot_mentions(activity))


def _text_without_mention(activity: Activity) -> str:
    text = activity.text or ""
    for mention in _bot_mentions(activity):
        mention_text = mention.get("text")
        if isinstance(mention_text, str) and mention_text:
            text = text.replace(mention_text, " ")
    # Channel messages may carry HTML; keep the words.
    return html.unescape(_TAG.sub(" ", text)).strip()


def _conversation_id(activity: Activity) -> str:
    # A reply thread in a channel is "<channel>;messageid=<id>": the bot is installed in the channel.
    return activity.conversation.id.split(";messageid=")[0]


def _record(turn_context: TurnContext) -> ConversationRecord:
    activity = turn_context.activity
    reference = TurnContext.get_conversation_reference(activity)
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = channel_data.get("team") if isinstance(channel_data.get("team"), dict) else {}
    tenant = channel_data.get("tenant") if isinstance(channel_data.get("tenant"), dict) else {}
    return ConversationRecord(
        conversation_id=_conversation_id(activity),
        channel_id=activity.channel_id or "",
        conversation_type=activity.conversation.conversation_type or "personal",
        service_url=activity.service_url or "",
        reference=reference.serialize(),
        tenant_id=tenant.get("id") or activity.conversation.tenant_id,
        team_id=team.get("id"),
    )


def _includes_bot(members: list[ChannelAccount], turn_context: TurnContext) -> bool:
    bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
    return any(member.id == bot_id for member in members or [])
