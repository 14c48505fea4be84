"""The subscription buttons on the welcome card in a team (Fredagsprat, Frister, Begge):
pressing one subscribes the channel, as ``abonner <tema>`` does."""

from __future__ import annotations

import logging

from bot import card_actions as ca
from bot import commands
from bot.replies import Incoming, Replies, Reply

log = logging.getLogger(__name__)

UNKNOWN = "Jeg forstod ikke den knappen. Skriv «abonner» for å få invitasjoner og påminnelser."


def register(replies: Replies) -> None:
    async def pressed(incoming: Incoming, data: dict) -> list[Reply]:
        choice = data.get("topic")
        if not isinstance(choice, str) or choice not in ca.SUBSCRIBE_CHOICES:
            log.warning("subscribe button refused: malformed payload")
            return [Reply(UNKNOWN)]
        topic = "" if choice == "begge" else choice
        return await replies.subscription(commands.SUBSCRIBE, topic, incoming.conversation)

    replies.on_action(ca.SUBSCRIBE, pressed)
