"""The subscription buttons on the welcome card in a team (Fredagsprat, Frister, Begge):
pressing one subscribes the channel, as ``abonner <tema>`` does."""

from __future__ import annotations

import logging

from bot.chat import card_actions as ca
from bot.chat import commands
from bot.chat.replies import Incoming, Reply
from bot.features import FeatureContext

log = logging.getLogger(__name__)

UNKNOWN = "Jeg forstod ikke den knappen. Skriv «abonner» for å få invitasjoner og påminnelser."


def register(context: FeatureContext) -> None:
    replies = context.replies

    async def pressed(incoming: Incoming, data: dict) -> list[Reply]:
        choice = data.get("topic")
        if not isinstance(choice, str) or choice not in ca.SUBSCRIBE_CHOICES:
            log.warning("subscribe button refused: malformed payload")
            return [Reply(UNKNOWN)]
        topic = "" if choice == "begge" else choice
        return await replies.subscription(commands.SUBSCRIBE, topic, incoming.conversation)

    replies.on_action(ca.SUBSCRIBE, pressed)
