""" "Spør en fagperson": questions the handbook could not answer, passed on to the experts.

- ``ekspertkanal`` (a leader, in a channel or group chat) makes that conversation the experts'
  (designation ``EXPERTS``); open tickets that had nowhere to go are posted there then.
- "Spør en fagperson" (on the no-answer card, and in the reply to "Ikke nyttig") creates a
  ticket from the question in the button's data (stripped of identity numbers again) and plans
  a ticket card to the experts' conversation through the outbox.
- "Jeg tar den" on the ticket card: the first expert gets it, the card turns into an answer form
  in place; a later one is told who has it.
- "Send svar": only the one who took it. The answer is stored and planned through the outbox to
  the conversation (and, in a channel, the thread) where the question was asked; the ticket card
  becomes "Besvart av …".

Everything is in the database (tickets, designations, outbox), nothing in memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from bot import pii
from bot.chat import commands
from bot.chat.leaders import Leaders
from bot.chat.replies import Incoming, Replies, Reply
from bot.clock import utcnow
from bot.delivery.outbox import Outbox, OutboxItem
from bot.features import FeatureContext
from bot.features.tickets import cards as tc
from bot.store import Store
from bot.store.designations import EXPERTS, Designations
from bot.store.tickets import MAX_QUESTION, Ticket, Tickets, clean
from handbook import Handbook

log = logging.getLogger(__name__)

TICKET = "ticket"  # outbox kind: the ticket card to the experts
TICKET_ANSWER = "ticket_answer"  # outbox kind: the answer to the asker

PASSED_ON = (
    "Takk! Spørsmålet ditt er sendt videre til fagpersonene (sak {id}). Du får svaret her når "
    "noen har svart."
)
NO_EXPERTS = (
    "Spørsmålet ditt er lagret (sak {id}), men ingen ekspertkanal er valgt ennå, så ingen "
    "fagperson har sett det. Det sendes dit så snart en leder har valgt en. Spør gjerne "
    "fagansvarlig direkte i mellomtiden."
)
ALREADY_ASKED = "Du har allerede sendt dette spørsmålet videre (sak {id}). Du får svaret her."
BAD_QUESTION = "Jeg fant ikke spørsmålet ditt. Skriv det gjerne på nytt."
EXPERTS_CHOSEN = (
    "Registrert: dette er nå ekspertkanalen. Spørsmål som sendes til en fagperson, kommer hit."
)
BACKLOG = " {n} spørsmål som ventet, sendes hit nå."
NOT_LEADER = "Beklager, bare ledere kan velge ekspertkanal. Be en leder skrive «ekspertkanal» her."
NOT_PERSONAL = (
    "Ekspertkanalen må være en kanal eller gruppechat der fagpersonene er. Skriv «ekspertkanal» "
    "der (og nevn meg med @)."
)
UNKNOWN_TICKET = "Jeg finner ikke den saken. Den kan være slettet."
TAKEN_BY_OTHER = "Denne saken har {name} allerede tatt."
ALREADY_ANSWERED = "Denne saken er allerede besvart av {name}."
NOT_YOURS = "Bare den som tok saken ({name}), kan svare på den."
NOT_TAKEN = "Trykk «Jeg tar den» før du svarer."
EMPTY_ANSWER = "Skriv et svar før du trykker «Send svar»."
ANSWER_PII = (
    "Svaret så ut til å inneholde et fødselsnummer eller D-nummer. Jeg har fjernet det før "
    "svaret ble lagret og sendt."
)
SOMEONE = "en fagperson"


def thread_root(incoming: Incoming) -> str | None:
    """In a channel: the id of the thread's first message (where the answer should go)."""
    conversation = incoming.conversation.reference.get("conversation") or {}
    full_id = str(conversation.get("id") or "")
    if ";messageid=" in full_id:
        return full_id.split(";messageid=", 1)[1] or None
    return None


class ExpertTickets:
    """The feature's handlers; :meth:`register` plugs them into :class:`Replies`."""

    def __init__(
        self,
        store: Store,
        handbook: Handbook,
        leaders: Iterable[str],
        clock: Callable[[], datetime] = utcnow,
        outbox: Outbox | None = None,
    ):
        self.store = store
        self.handbook = handbook
        self.leaders = Leaders(tuple(leaders))
        self.clock = clock
        self.tickets = Tickets(store.engine, clock)
        self.designations = Designations(store.engine, clock)
        self.outbox = outbox or Outbox(store.engine, clock)

    def register(self, replies: Replies) -> None:
        replies.on_command(commands.EXPERT_CHANNEL, self.choose_channel)
        replies.on_action(tc.ASK_EXPERT, self.ask)
        replies.on_action(tc.TAKE, self.take)
        replies.on_action(tc.ANSWER, self.answer)

    # -- ekspertkanal -------------------------------------------------------------------------

    async def choose_channel(self, incoming: Incoming, _argument: str) -> list[Reply]:
        if not self.leaders.includes(incoming.user_id):
            log.info("ekspertkanal refused: not a leader")
            return [Reply(NOT_LEADER)]
        if incoming.conversation.conversation_type == "personal":
            return [Reply(NOT_PERSONAL)]
        backlog = await asyncio.to_thread(self._choose, incoming)
        return [Reply(EXPERTS_CHOSEN + (BACKLOG.format(n=backlog) if backlog else ""))]

    def _choose(self, incoming: Incoming) -> int:
        conversation = incoming.conversation
        self.designations.choose_here(self.store, EXPERTS, conversation, incoming.user_id)
        waiting = self.tickets.unposted()
        for ticket in waiting:
            self._post(ticket, conversation.conversation_id)
        return len(waiting)

    # -- Spør en fagperson ------------------------------------------------------------------

    async def ask(self, incoming: Incoming, data: dict) -> list[Reply]:
        question = data.get("question")
        closest = data.get("closest", "")
        if (
            not isinstance(question, str)
            or not isinstance(closest, str)
            or not question.strip()
            or len(question) > MAX_QUESTION
        ):
            log.warning("ask expert refused: missing or malformed question")
            return [Reply(BAD_QUESTION)]
        if pii.contains_id_number(question):
            log.warning("ask expert: an identity number in the button data was removed")
        question = clean(question, MAX_QUESTION)
        if not question or question == pii.PLACEHOLDER:
            return [Reply(BAD_QUESTION)]
        known = {r.id for r in self.handbook.routines}
        routines = tuple(r for r in closest.split(",")[: tc.MAX_CLOSEST] if r in known)
        return await asyncio.to_thread(self._ask, incoming, question, routines)

    def _ask(self, incoming: Incoming, question: str, routines: tuple[str, ...]) -> list[Reply]:
        conversation = incoming.conversation
        asker = incoming.user_id or (conversation.reference.get("user") or {}).get("id", "")
        earlier = self.tickets.pending_for(asker, conversation.conversation_id, question)
        if earlier is not None:
            return [Reply(ALREADY_ASKED.format(id=earlier.id))]
        self.store.save_conversation(conversation)
        ticket = self.tickets.create(
            question, routines, asker, conversation.conversation_id, thread_root(incoming)
        )
        experts = self.designations.conversation_for(EXPERTS)
        if experts is None:
            log.info("ticket %d kept open: no expert conversation chosen", ticket.id)
            return [Reply(NO_EXPERTS.format(id=ticket.id))]
        self._post(ticket, experts)
        return [Reply(PASSED_ON.format(id=ticket.id))]

    def _post(self, ticket: Ticket, experts: str) -> None:
        card = tc.ticket_card(ticket, self._titles())
        self.outbox.plan(
            [
                OutboxItem(
                    dedupe_key=f"{TICKET}|{ticket.id}|card|{experts}",
                    conversation_id=experts,
                    kind=TICKET,
                    item_id=f"ticket:{ticket.id}",
                    due_at=self.clock(),
                    payload={
                        "summary": f"Nytt spørsmål til en fagperson (sak {ticket.id})",
                        "card": card,
                    },
                )
            ]
        )
        self.tickets.posted(ticket.id, experts)

    def _titles(self) -> dict[str, str]:
        return {r.id: r.title for r in self.handbook.routines}

    # -- Jeg tar den / Send svar ------------------------------------------------------------

    async def take(self, incoming: Incoming, data: dict) -> list[Reply]:
        ticket_id = _ticket_id(data)
        if ticket_id is None:
            return [Reply(UNKNOWN_TICKET)]
        return await asyncio.to_thread(self._take, incoming, ticket_id)

    def _take(self, incoming: Incoming, ticket_id: int) -> list[Reply]:
        user = incoming.user_id or incoming.user_name
        outcome = self.tickets.take(ticket_id, user, incoming.user_name or SOMEONE)
        ticket = outcome.ticket
        if ticket is None:
            return [Reply(UNKNOWN_TICKET)]
        if incoming.reply_to_id:
            self.tickets.card_shown(ticket.id, incoming.reply_to_id)
        if outcome.ok:
            card = tc.ticket_card(ticket, self._titles())
            return [Reply(f"Sak {ticket.id}: tatt av {ticket.taken_by_name}", card, update=True)]
        if ticket.status == "answered":
            return [Reply(ALREADY_ANSWERED.format(name=ticket.taken_by_name or SOMEONE))]
        return [Reply(TAKEN_BY_OTHER.format(name=ticket.taken_by_name or SOMEONE))]

    async def answer(self, incoming: Incoming, data: dict) -> list[Reply]:
        ticket_id = _ticket_id(data)
        if ticket_id is None:
            return [Reply(UNKNOWN_TICKET)]
        text = data.get(tc.ANSWER_INPUT, "")
        if not isinstance(text, str) or not text.strip():
            return [Reply(EMPTY_ANSWER)]
        for_handbook = data.get(tc.HANDBOOK_INPUT) in ("true", True)
        return await asyncio.to_thread(self._answer, incoming, ticket_id, text, for_handbook)

    def _answer(
        self, incoming: Incoming, ticket_id: int, text: str, for_handbook: bool
    ) -> list[Reply]:
        user = incoming.user_id or incoming.user_name
        had_pii = pii.contains_id_number(text)
        outcome = self.tickets.answer(ticket_id, user, text, for_handbook)
        ticket = outcome.ticket
        if ticket is None:
            return [Reply(UNKNOWN_TICKET)]
        if not outcome.ok:
            name = ticket.taken_by_name or SOMEONE
            if ticket.status == "answered":
                return [Reply(ALREADY_ANSWERED.format(name=name))]
            if ticket.status == "open":
                return [Reply(NOT_TAKEN)]
            return [Reply(NOT_YOURS.format(name=name))]
        self._deliver_answer(ticket)
        card = tc.ticket_card(ticket, self._titles())
        replies = [Reply(f"Sak {ticket.id}: besvart av {ticket.taken_by_name}", card, update=True)]
        if had_pii:
            replies.append(Reply(ANSWER_PII))
        return replies

    def _deliver_answer(self, ticket: Ticket) -> None:
        conversation = self.store.conversation(ticket.asker_conversation_id)
        payload = {
            "summary": f"Svar fra {ticket.taken_by_name or SOMEONE} på spørsmålet ditt",
            "card": tc.answer_card(ticket),
        }
        if (
            conversation
            and conversation.conversation_type == "channel"
            and ticket.asker_activity_id
        ):
            payload["thread"] = ticket.asker_activity_id
        self.outbox.plan(
            [
                OutboxItem(
                    dedupe_key=f"{TICKET_ANSWER}|{ticket.id}|{ticket.asker_conversation_id}",
                    conversation_id=ticket.asker_conversation_id,
                    kind=TICKET_ANSWER,
                    item_id=f"ticket:{ticket.id}",
                    due_at=self.clock(),
                    payload=payload,
                )
            ]
        )


def _ticket_id(data: dict) -> int | None:
    value = data.get("ticket")
    if isinstance(value, str) and value.isdigit() and len(value) < 12:
        return int(value)
    log.warning("ticket button refused: missing or malformed ticket id")
    return None


def register(context: FeatureContext) -> None:
    """``ekspertkanal``, «Spør en fagperson», «Jeg tar den» and «Send svar»."""
    rt = context.runtime
    tickets = ExpertTickets(
        rt.store, rt.handbook, rt.config.leader_aad_ids, clock=context.utc, outbox=context.outbox
    )
    tickets.register(context.replies)
