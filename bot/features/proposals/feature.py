"""``foreslå tema <tekst>`` and ``arrangørkanal``: topic proposals for Fredagsprat (issue 6).

Anyone may propose a topic: the proposal is stored (personal data removed, see
:mod:`bot.pii`), the proposer thanked, and it is posted through the outbox to the organisers'
conversation, which a leader chooses by writing ``arrangørkanal`` there. Without one the
proposal is kept and the proposer told so.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot import pii
from bot.chat import commands
from bot.chat.leaders import NONE_CONFIGURED, Leaders
from bot.chat.replies import PII_NOTICE, Incoming, Replies, Reply
from bot.clock import utcnow
from bot.delivery.outbox import Outbox, OutboxItem
from bot.features import FeatureContext
from bot.store import Store
from bot.store.designations import ORGANISERS, Designations
from bot.store.topic_proposals import MAX_TEXT, TopicProposals

log = logging.getLogger(__name__)

KIND = "topic_proposal"  # the outbox kind
EMPTY = "Skriv forslaget etter kommandoen, for eksempel «foreslå tema klagebehandling»."
TOO_LONG = f"Forslaget kan være på høyst {MAX_TEXT} tegn. Skriv det litt kortere."
THANKS = "Takk for forslaget! Det er sendt til arrangørene av Fredagsprat."
THANKS_KEPT = (
    "Takk for forslaget! Det er lagret, men ingen arrangørkanal er valgt ennå, så det er ikke "
    "sendt videre. En leder velger den ved å skrive «arrangørkanal» i kanalen til arrangørene."
)
CHOSEN = "Denne samtalen får nå forslagene til tema for Fredagsprat."
NOT_LEADER = "Beklager, bare ledere kan velge arrangørkanal."
POSTED = "Nytt forslag til tema for Fredagsprat{who}: «{text}»"


@dataclass
class ProposalFeature:
    store: Store
    proposals: TopicProposals
    designations: Designations
    outbox: Outbox
    leaders: Leaders
    clock: Callable[[], datetime] = utcnow

    def register(self, replies: Replies) -> None:
        replies.on_command(commands.PROPOSE_TOPIC, self.propose)
        replies.on_command(commands.ORGANISERS_CHANNEL, self.choose)

    async def propose(self, incoming: Incoming, argument: str) -> list[Reply]:
        redacted = pii.redact(argument)
        notice = [Reply(PII_NOTICE)] if redacted.found else []
        text = " ".join(redacted.text.split())
        if not text or text == pii.PLACEHOLDER:
            return [*notice, Reply(EMPTY)]
        if len(text) > MAX_TEXT:
            return [*notice, Reply(TOO_LONG)]
        sent = await asyncio.to_thread(self._store_and_post, text, incoming)
        return [*notice, Reply(THANKS if sent else THANKS_KEPT)]

    def _store_and_post(self, text: str, incoming: Incoming) -> bool:
        proposal = self.proposals.add(text, incoming.user_id, incoming.conversation.conversation_id)
        target = self.designations.conversation_for(ORGANISERS)
        if target is None:
            log.info("topic proposal %d kept: no organisers' conversation chosen", proposal.id)
            return False
        who = f" fra {incoming.user_name[:100]}" if incoming.user_name else ""
        self.outbox.plan(
            [
                OutboxItem(
                    dedupe_key=f"{KIND}|{proposal.id}|{target}",
                    conversation_id=target,
                    kind=KIND,
                    item_id=f"proposal:{proposal.id}",
                    due_at=self.clock().astimezone(UTC),
                    payload={"text": POSTED.format(who=who, text=proposal.text)},
                )
            ]
        )
        return True

    async def choose(self, incoming: Incoming, _argument: str) -> list[Reply]:
        if not self.leaders.configured:
            log.info("arrangørkanal refused: LEADER_AAD_IDS is not set")
            return [Reply(NONE_CONFIGURED)]
        if not self.leaders.includes(incoming.user_id):
            log.info("arrangørkanal refused: the sender is not a leader")
            return [Reply(NOT_LEADER)]
        conversation = incoming.conversation

        def choose() -> None:
            self.designations.choose_here(self.store, ORGANISERS, conversation, incoming.user_id)

        await asyncio.to_thread(choose)
        return [Reply(CHOSEN)]


def register(context: FeatureContext) -> None:
    """``foreslå tema`` and ``arrangørkanal``."""
    store = context.runtime.store
    ProposalFeature(
        store,
        TopicProposals(store.engine, context.utc),
        Designations(store.engine, context.utc),
        context.outbox,
        context.leaders,
        context.utc,
    ).register(context.replies)
