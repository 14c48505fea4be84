"""What the bot says: a parsed message, a button press or an install turned into replies.

Knows the handbook, the store and the cards, but no Bot Framework types: the handler hands in
plain data (:class:`Incoming`) and sends the :class:`Reply` objects it gets back. Blocking work
(search, SQL) runs in a thread so the event loop keeps serving other conversations.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot import pii
from bot.chat import card_actions as ca
from bot.chat import cards, commands, feedback
from bot.clock import oslo_now as _now
from bot.features.tickets import cards as ticket_cards
from bot.store import TOPICS, ConversationRecord, Store
from handbook import Handbook, Hit
from schedule import Schedule, next_session

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
COMPOSE_RESULTS = 5

PII_NOTICE = (
    "Meldingen din så ut til å inneholde et fødselsnummer eller D-nummer. Jeg har fjernet det "
    "og lagrer det ikke. Ikke del personopplysninger med meg."
)
TOO_LONG = (
    "Spørsmålet er for langt for meg. Skriv det kort, gjerne med noen stikkord, for eksempel "
    "«muntlig søknad på telefon»."
)
UNKNOWN_BUTTON = "Jeg forstod ikke den knappen. Still gjerne spørsmålet på nytt."
UNKNOWN_ROUTINE = "Jeg finner ingen rutine med id «{id}». Skriv «rutine» for å se alle."
THANKS_UP = "Takk! Godt å høre at rutinen var nyttig."
THANKS_DOWN = (
    "Takk for tilbakemeldingen. Den går til de som skriver rutinehåndboka, så rutinen kan bli "
    "bedre."
)
EMPTY = "Hva lurer du på? Skriv spørsmålet ditt, eller «hjelp» for å se hva jeg kan."
NO_SESSION = (
    "Det er ingen kommende Fredagsprat i kalenderen ennå. Datoene legges ut av "
    "Statsforvalteren; se {base}/ for kalenderen."
)
TOPIC_NAMES = {
    "fredagsprat": "tema og påminnelser for Fredagsprat",
    "frister": "påminnelser om frister i tiltaksplanen og årshjulet",
}
SUBSCRIBED = "Registrert: denne samtalen får {what}. Skriv «avslutt abonnement» for å stoppe."
UNSUBSCRIBED = "Avsluttet: denne samtalen får ikke lenger {what} fra meg."


@dataclass(frozen=True)
class Reply:
    text: str = ""  # Markdown; with a card: only the notification summary
    card: dict | None = None
    # True: replace the card whose button was pressed (``Incoming.reply_to_id``) instead of
    # posting a new message; falls back to a new message when there is nothing to replace.
    update: bool = False


@dataclass(frozen=True)
class Incoming:
    text: str
    conversation: ConversationRecord
    value: object = None
    is_button: bool = False
    user_id: str = ""  # the sender's Azure AD object id ("" when the channel gives none)
    user_name: str = ""  # the sender's display name, for "tatt av …" on cards
    activity_id: str = ""  # this message's id (a reply in its thread)
    reply_to_id: str = ""  # for a button press: the message whose card held the button


#: A feature's handler for a text command: (incoming, the command's argument) -> replies.
CommandHandler = Callable[[Incoming, str], Awaitable[list[Reply]]]
#: A feature's handler for a button press: (incoming, the button's data, a dict) -> replies.
#: The data may be forged: the handler checks every field it reads.
ActionHandler = Callable[[Incoming, dict], Awaitable[list[Reply]]]


@dataclass
class Replies:
    handbook: Handbook
    store: Store
    contact: str = ""
    schedule: Callable[[], Awaitable[Schedule]] | None = None  # the current schedule
    public_base_url: str = ""
    clock: Callable[[], datetime] = _now
    # Features beyond the handbook (broadcasts, closures, tickets, ...) register here, so this
    # class stays the dispatcher and each feature keeps its own module.
    command_handlers: dict[str, CommandHandler] = field(default_factory=dict)
    action_handlers: dict[str, ActionHandler] = field(default_factory=dict)

    def on_command(self, kind: str, handler: CommandHandler) -> None:
        """Route the text command ``kind`` (a :mod:`bot.chat.commands` kind) to ``handler``."""
        self.command_handlers[kind] = handler

    def on_action(self, action: str, handler: ActionHandler) -> None:
        """Route button presses whose data has ``{ca.ACTION: action}`` to ``handler``."""
        self.action_handlers[action] = handler

    # -- messages ---------------------------------------------------------------------------

    async def message(self, incoming: Incoming) -> list[Reply]:
        if incoming.is_button:
            return await self.button(incoming)
        command = commands.parse(incoming.text)
        kind = command.kind
        if kind in self.command_handlers:
            return await self.command_handlers[kind](incoming, command.argument)
        if kind == commands.HELP:
            return [Reply("Dette kan jeg", cards.help_card())]
        if kind == commands.SEARCH:
            return await self.question(command.argument, incoming.conversation)
        if kind == commands.ROUTINE:
            return await self.routine(command.argument, incoming.conversation)
        if kind == commands.NEXT_SESSION:
            return await self.next_session()
        if kind in (commands.SUBSCRIBE, commands.UNSUBSCRIBE):
            return await self.subscription(kind, command.argument, incoming.conversation)
        return await self.question(command.argument, incoming.conversation)

    async def next_session(self) -> list[Reply]:
        schedule = await self.schedule() if self.schedule else None
        now = self.clock()
        session = next_session(schedule, now) if schedule else None
        if session is None:
            return [Reply(NO_SESSION.format(base=self.public_base_url.rstrip("/")))]
        card = cards.session_card(session, now, self.public_base_url)
        return [Reply(cards.session_text(session, now), card)]

    async def subscription(
        self, kind: str, topic: str, conversation: ConversationRecord
    ) -> list[Reply]:
        topics = (topic,) if topic else TOPICS
        what = " og ".join(TOPIC_NAMES[t] for t in topics)
        if kind == commands.SUBSCRIBE:
            await asyncio.to_thread(self.store.subscribe, conversation, topics)
            return [Reply(SUBSCRIBED.format(what=what))]
        await asyncio.to_thread(self.store.unsubscribe, conversation.conversation_id, topics)
        return [Reply(UNSUBSCRIBED.format(what=what))]

    async def question(self, text: str, conversation: ConversationRecord) -> list[Reply]:
        redacted = pii.redact(text)
        notice = [Reply(PII_NOTICE)] if redacted.found else []
        question = redacted.text.strip()
        if len(question) > MAX_QUESTION_CHARS:
            log.info("question refused: %d characters", len(question))
            return [*notice, Reply(TOO_LONG)]
        if not question or question == pii.PLACEHOLDER:
            return [*notice, Reply(EMPTY)]
        result = await asyncio.to_thread(self.handbook.search, question, 3)
        if result.confident and result.best:
            best = result.best
            await asyncio.to_thread(
                self.store.record_answer, best.routine_id, best.section_anchor, "chat"
            )
            card = cards.answer_card(
                best, result.hits[1:3], self.public_base_url, question=question
            )
            return [*notice, Reply(f"{best.title}: {best.section}", card)]
        closest = result.hits[:3]
        await asyncio.to_thread(
            self.store.record_unanswered,
            question,
            tuple(h.routine_id for h in closest),
            bool(redacted.found),
            conversation.conversation_type,
        )
        card = cards.no_answer_card(closest, self.contact, self.public_base_url)
        card = ticket_cards.with_ask_expert(card, question, [h.routine_id for h in closest])
        return [*notice, Reply("Fant ikke et sikkert svar", card)]

    async def routine(self, routine_id: str, conversation: ConversationRecord) -> list[Reply]:
        if not routine_id:
            routines = self.handbook.routines
            card = cards.routine_list_card(routines, self.public_base_url)
            return [Reply("Rutiner i håndboka", card)]
        routine = await asyncio.to_thread(self.handbook.routine, routine_id.lower())
        if routine is None:
            # "rutine for klage" is a question, not an id.
            return await self.question(routine_id, conversation)
        await asyncio.to_thread(self.store.record_answer, routine.id, "", "routine")
        return [Reply(routine.title, cards.routine_card(routine, "", self.public_base_url))]

    # -- buttons ----------------------------------------------------------------------------

    async def button(self, incoming: Incoming) -> list[Reply]:
        value = incoming.value
        if isinstance(value, dict) and value.get(ca.ACTION) in self.action_handlers:
            return await self.action_handlers[value[ca.ACTION]](incoming, value)
        action = ca.parse_action(value)
        if action is None:
            log.warning("card submit refused: missing or malformed payload")
            return [Reply(UNKNOWN_BUTTON)]
        if action.action == ca.ASK:
            return await self.question(action.text, incoming.conversation)
        routine = await asyncio.to_thread(self.handbook.routine, action.routine_id)
        if routine is None:
            log.warning("card submit refused: unknown routine id")
            return [Reply(UNKNOWN_ROUTINE.format(id=action.routine_id[:60]))]
        section = action.section if routine.section(action.section) else ""
        if action.action == ca.SHOW_ROUTINE:
            await asyncio.to_thread(self.store.record_answer, routine.id, section, "routine")
            card = cards.routine_card(routine, section, self.public_base_url)
            return [Reply(routine.title, card)]
        question = value.get("question") if isinstance(value, dict) else None
        has_question = (
            isinstance(question, str) and question.strip() and len(question) <= MAX_QUESTION_CHARS
        )
        await asyncio.to_thread(
            self.store.record_vote,
            routine.id,
            section,
            action.vote,
            incoming.conversation.conversation_type,
            # what «Ikke nyttig» was about, for the maintainers' suggestions (python -m bot report)
            pii.redact(question).text if has_question else "",
        )
        if has_question and section and incoming.reply_to_id:
            # The pressed card is drawn again with a thank-you instead of the buttons.
            drawn = await asyncio.to_thread(
                feedback.thanked_card,
                self.handbook,
                value,
                routine.id,
                section,
                action.vote,
                question,
                self.public_base_url,
            )
            if drawn is not None:
                return [Reply(drawn[0], drawn[1], update=True)]
        if action.vote == ca.VOTE_DOWN and has_question:
            # "Ikke nyttig": offer to pass the question on to an expert (bot.features.tickets.feature).
            offer = ticket_cards.ask_expert_offer_card(THANKS_DOWN, question, [routine.id])
            return [Reply(THANKS_DOWN, offer)]
        return [Reply(THANKS_UP if action.vote == ca.VOTE_UP else THANKS_DOWN)]

    # -- installation -----------------------------------------------------------------------

    async def installed(self, conversation: ConversationRecord) -> list[Reply]:
        """Remember where the bot is; welcome only the first time (Teams sends both an
        installationUpdate and a conversationUpdate for one install)."""
        is_new = await asyncio.to_thread(self.store.save_conversation, conversation)
        if not is_new:
            return []
        return [Reply("Hei! Jeg er Rutinebot.", cards.welcome_card(conversation.conversation_type))]

    async def uninstalled(self, conversation_id: str) -> None:
        await asyncio.to_thread(self.store.remove_conversation, conversation_id)

    # -- compose box ------------------------------------------------------------------------

    async def compose_search(self, query: str) -> list[tuple[dict, dict]]:
        """(card, preview) pairs for the compose-box search; empty query: most used routines."""
        query = pii.redact(query[:MAX_QUESTION_CHARS]).text.strip()
        if query:
            result = await asyncio.to_thread(self.handbook.search, query, COMPOSE_RESULTS)
            hits = list(result.hits)
        else:
            hits = await asyncio.to_thread(self._most_used_hits)
        base = self.public_base_url
        return [(cards.shared_card(hit, base), cards.preview_card(hit)) for hit in hits]

    def _most_used_hits(self) -> list[Hit]:
        used = [rid for rid, _ in self.store.most_used(COMPOSE_RESULTS)]
        routines = {r.id: r for r in self.handbook.routines}
        ids = [rid for rid in used if rid in routines]
        ids += [rid for rid in sorted(routines) if rid not in ids]
        return [_summary_hit(routines[rid]) for rid in ids[:COMPOSE_RESULTS]]


def _summary_hit(routine) -> Hit:
    """A routine as a hit without a question: its introduction, or its first section."""
    section = routine.intro() or (routine.sections[0] if routine.sections else None)
    excerpt = cards.teams_markdown(section.body)[:300] if section else ""
    return Hit(
        routine_id=routine.id,
        title=routine.title,
        section=section.heading if section else "",
        section_anchor=section.anchor if section else "",
        excerpt=excerpt,
        score=0.0,
        legal=routine.legal,
        revised=routine.revised,
        missing=routine.missing,
    )
