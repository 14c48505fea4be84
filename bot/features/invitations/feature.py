"""A leader's Fredagsprat invitation to every subscribed conversation, the answers to it, and
the leader's delivery report (issue 6).

- ``inviter [dato eller id]``: a leader (``LEADER_AAD_IDS``) gets the form card; anyone else a
  polite refusal. The form's "Send invitasjon" creates a ``broadcasts`` row, plans one outbox
  row per conversation subscribed to ``fredagsprat`` and replaces the form with the report card
  (whose message id is kept on the broadcast, so it can be updated later).
- The outbox worker posts the invitation card (made at send time by :meth:`card_for`, which
  also makes the card for the planner's automatic invitation) and tells
  :meth:`deliveries_finished` which rows reached an outcome; the report card is then updated.
- "Jeg kommer" / "Kan ikke" records the person's answer (latest wins), replaces the pressed
  card with one that says what they answered, and updates the leaders' report cards.

No Bot Framework types: the card update goes through :class:`bot.delivery.updater.CardUpdater`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot import pii
from bot.chat import commands
from bot.chat.leaders import NONE_CONFIGURED, Leaders
from bot.chat.replies import Incoming, Replies, Reply
from bot.clock import oslo_now as _now
from bot.delivery.outbox import Delivery, Outbox, OutboxItem
from bot.delivery.planner import FREDAGSPRAT, INVITATION
from bot.delivery.updater import CardUpdater
from bot.features import FeatureContext
from bot.features.invitations import cards as ic
from bot.store import Store
from bot.store.broadcasts import KIND, Broadcast, Broadcasts, dedupe_key, item_id
from schedule import Schedule, Session
from schedule.upcoming import upcoming_sessions as upcoming

log = logging.getLogger(__name__)

NOT_LEADER = (
    "Beklager, bare ledere kan sende invitasjoner til Fredagsprat. Spør lederen din, eller "
    "skriv «neste fredagsprat» for å se når neste samling er."
)
NO_SESSIONS = "Det er ingen kommende Fredagsprat i kalenderen å invitere til."
UNKNOWN_SESSION = (
    "Jeg finner ingen kommende Fredagsprat for «{arg}». Skriv «inviter» uten noe mer for å "
    "velge i en liste, eller en dato som 27.11.2026."
)
SESSION_GONE = (
    "Den samlingen er ikke lenger i kalenderen, eller den er over. Skriv «inviter» igjen."
)
UNKNOWN_BUTTON = "Jeg forstod ikke den knappen. Skriv «inviter» for å begynne på nytt."
NOTE_TOO_LONG = "Hilsenen kan være på høyst {n} tegn. Gjør den litt kortere og send igjen."
NOTE_PII = (
    "Hilsenen så ut til å inneholde et fødselsnummer eller D-nummer. Jeg har fjernet det før "
    "invitasjonen ble sendt."
)
RSVP_UNKNOWN_USER = "Jeg kan ikke se hvem du er, så svaret ble ikke registrert."
RSVP_OVER = "Denne Fredagspraten er over eller avlyst, så svaret ble ikke registrert."

_DATE = re.compile(r"^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def find_session(sessions: list[Session], argument: str) -> Session | None:
    """The session an ``inviter`` argument names: its id, or its date (27.11, 27.11.2026,
    2026-11-27)."""
    text = argument.strip().lower()
    for session in sessions:
        if session.id.lower() == text:
            return session
    day = None
    if match := _ISO.match(text):
        year, month, dom = (int(g) for g in match.groups())
        day = (year, month, dom)
    elif match := _DATE.match(text):
        dom, month = int(match.group(1)), int(match.group(2))
        year = match.group(3)
        year = int(year) + (2000 if year and len(year) == 2 else 0) if year else None
        day = (year, month, dom)
    if day is None:
        return None
    for session in sessions:
        when = session.when.date
        if (when.month, when.day) == day[1:] and (day[0] is None or when.year == day[0]):
            return session
    return None


def _thread_id(incoming: Incoming) -> str:
    """Where the pressed card is: in a channel the thread (``<channel>;messageid=<id>``), as the
    press's conversation reference names it; elsewhere the conversation itself."""
    base = incoming.conversation.conversation_id
    stored = (incoming.conversation.reference.get("conversation") or {}).get("id") or ""
    return stored if stored.split(";messageid=")[0] == base else base


@dataclass
class BroadcastFeature:
    store: Store
    broadcasts: Broadcasts
    outbox: Outbox
    schedule: Callable[[], Awaitable[Schedule]]
    leaders: Leaders
    public_base_url: str
    updater: object | None = None  # a CardUpdater: update(record, activity_id, card, summary)
    clock: Callable[[], datetime] = _now

    def register(self, replies: Replies) -> None:
        replies.on_command(commands.INVITE, self.invite)
        replies.on_action(ic.SEND, self.submit)
        replies.on_action(ic.RSVP, self.rsvp)

    def _refusal(self, incoming: Incoming, what: str) -> list[Reply] | None:
        if not self.leaders.configured:
            log.info("%s refused: LEADER_AAD_IDS is not set", what)
            return [Reply(NONE_CONFIGURED)]
        if not self.leaders.includes(incoming.user_id):
            log.info("%s refused: the sender is not a leader", what)
            return [Reply(NOT_LEADER)]
        return None

    async def _session(self, session_id: str, upcoming_only: bool = True) -> Session | None:
        schedule = await self.schedule()
        pool = upcoming(schedule, self.clock()) if upcoming_only else schedule.sessions
        return next((s for s in pool if s.id == session_id), None)

    # -- inviter ------------------------------------------------------------------------------

    async def invite(self, incoming: Incoming, argument: str) -> list[Reply]:
        refused = self._refusal(incoming, "inviter")
        if refused:
            return refused
        now = self.clock()
        sessions = upcoming(await self.schedule(), now)
        if not sessions:
            return [Reply(NO_SESSIONS)]
        chosen = ""
        if argument.strip():
            session = find_session(sessions, argument)
            if session is None:
                return [Reply(UNKNOWN_SESSION.format(arg=argument.strip()[:60]))]
            chosen = session.id
        return [Reply("Send invitasjon til Fredagsprat", ic.form_card(sessions, chosen))]

    async def submit(self, incoming: Incoming, data: dict) -> list[Reply]:
        refused = self._refusal(incoming, "invitation submit")
        if refused:
            return refused
        session_id, note = data.get(ic.SESSION_INPUT), data.get(ic.NOTE_INPUT, "") or ""
        if not isinstance(session_id, str) or not isinstance(note, str) or len(session_id) > 200:
            log.warning("invitation submit refused: malformed payload")
            return [Reply(UNKNOWN_BUTTON)]
        session = await self._session(session_id)
        if session is None:
            return [Reply(SESSION_GONE)]
        redacted = pii.redact(note.strip())
        note = redacted.text
        if len(note) > ic.MAX_NOTE:
            return [Reply(NOTE_TOO_LONG.format(n=ic.MAX_NOTE))]
        conversation = incoming.conversation
        form_id = incoming.reply_to_id
        thread = _thread_id(incoming)
        again = await asyncio.to_thread(self.broadcasts.by_report, thread, form_id)
        if again is not None:  # the same form sent twice: one broadcast
            return [await self._report_reply(again)]
        await asyncio.to_thread(self.store.save_conversation, conversation)  # to update the report
        broadcast = await asyncio.to_thread(
            self._create, session, incoming.user_id, note, incoming.user_name, thread, form_id
        )
        log.info("broadcast %d of %s planned", broadcast.id, session.id)
        notice = [Reply(NOTE_PII)] if redacted.found else []
        return [await self._report_reply(broadcast), *notice]

    def _create(self, session, user_id, note, user_name, thread, form_id) -> Broadcast:
        broadcast = self.broadcasts.create(session.id, user_id, note, thread, form_id or None)
        now = self.clock().astimezone(UTC)
        payload = {
            "text": ic.invitation_summary(session),
            "session_id": session.id,
            "broadcast_id": broadcast.id,
            "note": note,
            "sent_by_name": user_name[:100],
        }
        items = [
            OutboxItem(
                dedupe_key=dedupe_key(broadcast.id, sub.conversation_id),
                conversation_id=sub.conversation_id,
                kind=KIND,
                item_id=item_id(broadcast.id),
                due_at=now,
                payload=payload,
                expires_at=session.starts_at,
            )
            for sub in self.store.subscriptions(FREDAGSPRAT)
        ]
        self.outbox.plan(items)
        return broadcast

    # -- the report ---------------------------------------------------------------------------

    def _report_card(self, broadcast: Broadcast, session: Session) -> tuple[str, dict]:
        report = self.broadcasts.report(broadcast)
        failures = []
        for failure in report.failures:
            record = self.store.conversation(failure.conversation_id)
            where = ic.KIND_NAMES.get(record.conversation_type, "samtale") if record else "samtale"
            failures.append((where, ic.failure_reason(failure.status, failure.error)))
        return ic.report_text(session, report), ic.report_card(session, report, failures)

    async def _report_reply(self, broadcast: Broadcast) -> Reply:
        session = await self._session(broadcast.session_id, upcoming_only=False)
        if session is None:
            return Reply(SESSION_GONE)
        text, card = await asyncio.to_thread(self._report_card, broadcast, session)
        return Reply(text, card, update=True)

    async def refresh(self, broadcast: Broadcast) -> bool:
        """Update the leader's report card in place; False if there is none to update."""
        if self.updater is None or not broadcast.report_activity_id:
            return False
        thread = broadcast.report_conversation_id or ""
        session = await self._session(broadcast.session_id, upcoming_only=False)
        record = await asyncio.to_thread(self.store.conversation, thread.split(";messageid=")[0])
        if session is None or record is None:
            return False
        text, card = await asyncio.to_thread(self._report_card, broadcast, session)
        return await self.updater.update(
            record, broadcast.report_activity_id, card, text, conversation_id=thread
        )

    async def deliveries_finished(self, deliveries: list[Delivery]) -> None:
        """The worker's listener: refresh the report of each broadcast that had rows finish."""
        ids = sorted({int(d.item_id.split(":", 1)[1]) for d in deliveries if d.kind == KIND})
        for broadcast_id in ids:
            broadcast = await asyncio.to_thread(self.broadcasts.get, broadcast_id)
            if broadcast is not None:
                await self.refresh(broadcast)

    # -- the invitation card ------------------------------------------------------------------

    async def card_for(self, delivery: Delivery) -> dict | None:
        """The sender's card hook: the invitation card for a broadcast or an automatic
        invitation, from the current schedule; None for other kinds (or a session gone)."""
        if delivery.kind == KIND:
            session_id = str(delivery.payload.get("session_id", ""))
            broadcast_id = delivery.payload.get("broadcast_id", 0)
        elif delivery.kind == INVITATION:
            session_id, broadcast_id = delivery.item_id, 0
        else:
            return None
        session = await self._session(session_id, upcoming_only=False)
        if session is None:
            return None
        return ic.invitation_card(
            session,
            self.public_base_url,
            broadcast_id=broadcast_id if isinstance(broadcast_id, int) else 0,
            note=str(delivery.payload.get("note", "")),
            sent_by=str(delivery.payload.get("sent_by_name", "")),
        )

    # -- Jeg kommer / Kan ikke ----------------------------------------------------------------

    async def rsvp(self, incoming: Incoming, data: dict) -> list[Reply]:
        session_id, broadcast_id, answer = (
            data.get("session"),
            data.get("broadcast"),
            data.get("answer"),
        )
        if (
            not isinstance(session_id, str)
            or len(session_id) > 200
            or not isinstance(broadcast_id, int)
            or isinstance(broadcast_id, bool)
            or broadcast_id < 0
            or answer not in ic.ANSWER_TEXT
        ):
            log.warning("rsvp refused: malformed payload")
            return [Reply(UNKNOWN_BUTTON)]
        if not incoming.user_id:
            log.warning("rsvp refused: no Azure AD object id on the press")
            return [Reply(RSVP_UNKNOWN_USER)]
        session = await self._session(session_id)
        if session is None:
            return [Reply(RSVP_OVER)]
        note, sent_by = "", ""
        if broadcast_id:
            broadcast = await asyncio.to_thread(self.broadcasts.get, broadcast_id)
            if broadcast is None or broadcast.session_id != session_id:
                log.warning("rsvp refused: unknown broadcast")
                return [Reply(UNKNOWN_BUTTON)]
            note = broadcast.note
            delivery = await asyncio.to_thread(
                self.outbox.get, dedupe_key(broadcast_id, incoming.conversation.conversation_id)
            )
            sent_by = str(delivery.payload.get("sent_by_name", "")) if delivery else ""
        await asyncio.to_thread(self.broadcasts.answer, session_id, incoming.user_id, answer)
        for broadcast in await asyncio.to_thread(self.broadcasts.for_session, session_id):
            await self.refresh(broadcast)
        personal = incoming.conversation.conversation_type == "personal"
        card = ic.invitation_card(
            session,
            self.public_base_url,
            broadcast_id=broadcast_id,
            note=note,
            sent_by=sent_by,
            answered=ic.answered_text(answer, incoming.user_name, personal),
        )
        return [Reply(ic.invitation_summary(session), card, update=True)]


def register(context: FeatureContext) -> None:
    """``inviter``, «Send invitasjonen» and the RSVP buttons; the report card is redrawn when
    the invitations have gone out (a delivery listener) and made at send time."""
    runtime = context.runtime
    config, store = runtime.config, runtime.store
    broadcast = BroadcastFeature(
        store,
        Broadcasts(store.engine, context.utc),
        context.outbox,
        runtime.schedule.current,
        context.leaders,
        config.public_base_url,
        CardUpdater(runtime.adapter, config.app_id),
        clock=runtime.clock,
    )
    broadcast.register(context.replies)
    runtime.delivery_listeners.append(broadcast.deliveries_finished)
    runtime.delivery_cards = broadcast.card_for
