"""Closing reminders from Teams, and choosing where routine owners hear about reviews.

- "Markér som evaluert" on a deadline reminder (and "Markér som utført" on a yearly-cycle
  reminder) records a closure with who, when and an optional note (personal data removed),
  replaces the card with «Evaluert av <navn> <dato>» and withdraws the occurrence's planned
  reminders. Anyone in the conversation may press it: the cards go to the leaders'
  conversations subscribed to ``frister`` and to the responsible person's own chat, so whoever
  can see the card is someone the reminder was for.
- "Markér som gjennomgått" on a routine review reminder records a ``review`` closure for that
  ``review_by`` and tells the maintainer the dates to write in the routine file (the file in
  git is the source of truth; the bot does not edit it).
- ``eierkanal [rolle]`` makes this conversation the one for review reminders of routines whose
  ``owner`` is the role (any case), or without a role the handbook owner's (the fallback for
  roles without their own). Only leaders (``LEADER_AAD_IDS``) may choose.

The first closure stands: a second press (or a second person) is told who closed it. Every
field of a button press is checked; a forged or outdated one gets a polite sentence.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime

from bot import pii
from bot.chat import commands
from bot.chat.leaders import Leaders
from bot.chat.replies import Incoming, Replies, Reply
from bot.delivery.closing import withdraw_closed
from bot.delivery.outbox import Outbox
from bot.delivery.planner import DEADLINE_REMINDER, RECURRING_REMINDER, reminder_payload
from bot.delivery.reviews import REVIEW_OVERDUE, REVIEW_REMINDER, review_payload, withdraw_review
from bot.features import FeatureContext
from bot.features.closures import cards as cc
from bot.store import Store
from bot.store.closures import DEADLINE, MAX_NOTE, RECURRING, REVIEW, Closure, Closures
from bot.store.designations import HANDBOOK_OWNER, Designations, owner_role
from handbook import Handbook
from handbook.import_fields import one_year_later
from schedule import OSLO, Schedule
from schedule.model import DeadlineStatus, DueKind
from schedule.upcoming import due_moments

log = logging.getLogger(__name__)

STALE = (
    "Jeg finner ikke denne fristen i planen lenger. Den kan ha blitt endret eller fjernet "
    "siden påminnelsen ble sendt; se den nyeste påminnelsen eller fristkalenderen."
)
STALE_REVIEW = (
    "Rutinen «{title}» skal nå gjennomgås innen {day}, ikke {old}. Påminnelsen er utdatert, så "
    "jeg har ikke markert noe."
)
UNKNOWN_ROUTINE = "Jeg finner ikke rutinen «{id}» i håndboka lenger."
MALFORMED = "Jeg forstod ikke den knappen. Prøv knappen på den nyeste påminnelsen."
ALREADY_IN_PLAN = "Tiltaket «{title}» er allerede markert som evaluert i tiltaksplanen."
ALREADY = "Dette var allerede markert av {who} {day}."
PII_NOTE = (
    "Notatet så ut til å inneholde et fødselsnummer eller D-nummer. Jeg har fjernet det og "
    "lagrer det ikke."
)
LEADERS_ONLY = (
    "Bare ledere kan velge eierkanal. Be en leder skrive «eierkanal» (eller «eierkanal "
    "<rolle>») her."
)
OWNER_CHOSEN = (
    "Registrert: påminnelser om gjennomgang av rutiner med eier «{owner}» ({count}) kommer hit."
)
HANDBOOK_OWNER_CHOSEN = (
    "Registrert: denne samtalen er eierkanal for rutinehåndboka. Påminnelser om gjennomgang av "
    "rutiner kommer hit når rutinens eier ikke har en egen eierkanal."
)
UNKNOWN_OWNER = (
    "Ingen rutiner har eieren «{role}». Eierne i håndboka er: {owners}. Skriv for eksempel "
    "«eierkanal {example}»."
)


def calendar_url(public_base_url: str, token: str) -> str:
    """The private deadline feed's address, or "" when it is off."""
    return f"{public_base_url.rstrip('/')}/calendar/frister.ics?token={token}" if token else ""


def _field(data: dict, name: str, limit: int = 200) -> str | None:
    value = data.get(name, "")
    if not isinstance(value, str) or len(value) > limit:
        return None
    return value.strip()


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


class Closing:
    """The buttons and the ``eierkanal`` command; register with :meth:`register`."""

    def __init__(
        self,
        store: Store,
        handbook: Handbook,
        schedule: Callable[[], Awaitable[Schedule]],
        leaders: Iterable[str],
        clock: Callable[[], datetime],
    ):
        def utc() -> datetime:
            return clock().astimezone(UTC)

        self.store = store
        self.handbook = handbook
        self.schedule = schedule
        self.leaders = Leaders(tuple(leaders))
        self.clock = utc
        self.closures = Closures(store.engine, utc)
        self.designations = Designations(store.engine, utc)
        self.outbox = Outbox(store.engine, utc)

    def register(self, replies: Replies) -> None:
        replies.on_action(cc.CLOSE_ITEM, self.close_item)
        replies.on_action(cc.CLOSE_REVIEW, self.close_review)
        replies.on_command(commands.OWNER_CHANNEL, self.owner_channel)

    # -- "Markér som evaluert" ----------------------------------------------------------------

    async def close_item(self, incoming: Incoming, data: dict) -> list[Reply]:
        kind, item_id = _field(data, "kind"), _field(data, "item_id")
        day = _iso_date(_field(data, "occurrence", 10))
        note = data.get(cc.NOTE, "")
        if kind not in (DEADLINE, RECURRING) or not item_id or day is None:
            log.warning("close refused: malformed payload")
            return [Reply(MALFORMED)]
        schedule = await self.schedule()
        found = _occurrence(schedule, kind, item_id, day)
        if found is None:
            log.info("close refused: %s %s %s is not in the schedule", kind, item_id, day)
            return [Reply(STALE)]
        card_kind, payload, evaluated = found
        if evaluated:
            return [Reply(ALREADY_IN_PLAN.format(title=payload["title"]))]
        redacted = pii.redact(note[: MAX_NOTE * 4] if isinstance(note, str) else "")
        note_text = redacted.text.strip()[:MAX_NOTE]
        closure, new = await asyncio.to_thread(
            self.closures.close,
            kind,
            item_id,
            day.isoformat(),
            incoming.user_id,
            incoming.user_name,
            note_text,
        )
        if new:
            reason = f"closed by {closure.closed_by or 'unknown'}"
            await asyncio.to_thread(withdraw_closed, self.outbox, closure.key, reason)
        card = cc.closed_card(card_kind, payload, closure)
        replies = [Reply(f"{payload['title']}: {cc.closed_text(closure)}", card, update=True)]
        if redacted.found:
            replies.append(Reply(PII_NOTE))
        if not new:
            replies.append(Reply(_already(closure)))
        return replies

    # -- "Markér som gjennomgått" -------------------------------------------------------------

    async def close_review(self, incoming: Incoming, data: dict) -> list[Reply]:
        routine_id = _field(data, "routine_id")
        review_by = _iso_date(_field(data, "review_by", 10))
        if not routine_id or review_by is None:
            log.warning("review close refused: malformed payload")
            return [Reply(MALFORMED)]
        routine = await asyncio.to_thread(self.handbook.routine, routine_id.lower())
        if routine is None:
            return [Reply(UNKNOWN_ROUTINE.format(id=routine_id[:60]))]
        if routine.review_by != review_by:
            return [
                Reply(
                    STALE_REVIEW.format(
                        title=routine.title,
                        day=(
                            cc.norwegian_date(routine.review_by)
                            if routine.review_by
                            else "en dato som ikke er fylt ut ennå"
                        ),
                        old=cc.norwegian_date(review_by),
                    )
                )
            ]
        closure, new = await asyncio.to_thread(
            self.closures.close,
            REVIEW,
            routine.id,
            review_by.isoformat(),
            incoming.user_id,
            incoming.user_name,
            "",
        )
        if new:
            reason = f"reviewed, closed by {closure.closed_by or 'unknown'}"
            await asyncio.to_thread(
                withdraw_review, self.outbox, routine.id, review_by.isoformat(), reason
            )
        revised = closure.closed_at.astimezone(OSLO).date()
        today = self.clock().astimezone(OSLO).date()
        kind = REVIEW_OVERDUE if review_by < today else REVIEW_REMINDER
        card = cc.review_closed_card(
            kind, review_payload(routine), closure, revised, one_year_later(revised)
        )
        replies = [Reply(f"{routine.title}: {cc.closed_text(closure)}", card, update=True)]
        if not new:
            replies.append(Reply(_already(closure)))
        return replies

    # -- eierkanal ----------------------------------------------------------------------------

    async def owner_channel(self, incoming: Incoming, argument: str) -> list[Reply]:
        if not self.leaders.includes(incoming.user_id):
            log.info("eierkanal refused: not a leader")
            return [Reply(LEADERS_ONLY)]
        role = pii.redact(argument).text.strip().strip("«»\"'").strip()
        if not role:
            await self._choose(HANDBOOK_OWNER, incoming)
            return [Reply(HANDBOOK_OWNER_CHOSEN)]
        owners: dict[str, list[str]] = {}
        for routine in self.handbook.routines:
            if not routine.owner:
                continue
            owners.setdefault(owner_role(routine.owner), []).append(routine.owner)
        purpose = owner_role(role)
        if purpose not in owners:
            names = sorted({names[0] for names in owners.values()})
            return [
                Reply(
                    UNKNOWN_OWNER.format(
                        role=role[:100],
                        owners=", ".join(names) or "ingen",
                        example=names[0] if names else "Fagansvarlig sosiale tjenester",
                    )
                )
            ]
        await self._choose(purpose, incoming)
        count = len(owners[purpose])
        routines = f"{count} rutine" if count == 1 else f"{count} rutiner"
        return [Reply(OWNER_CHOSEN.format(owner=owners[purpose][0], count=routines))]

    async def _choose(self, purpose: str, incoming: Incoming) -> None:
        def choose() -> None:
            self.designations.choose_here(
                self.store, purpose, incoming.conversation, incoming.user_id
            )

        await asyncio.to_thread(choose)


def _already(closure: Closure) -> str:
    who = closure.closed_by_name or "en annen"
    return ALREADY.format(who=who, day=cc.closed_day(closure))


def _occurrence(
    schedule: Schedule, kind: str, item_id: str, day: date
) -> tuple[str, dict, bool] | None:
    """(reminder kind, card payload, already evaluated in the plan) for a closable occurrence
    that is in the schedule now; None if it is not (forged, or the plan changed)."""
    due_kind = DueKind.EVALUATE if kind == DEADLINE else DueKind.RECURRING
    due = next(
        (
            d
            for d in due_moments(schedule)
            if d.kind == due_kind and d.item_id == item_id and d.day == day
        ),
        None,
    )
    if due is None:
        return None
    reminder = DEADLINE_REMINDER if kind == DEADLINE else RECURRING_REMINDER
    return reminder, reminder_payload(due), due.status == DeadlineStatus.EVALUATED


__all__ = ["Closing", "calendar_url"]


def register(context: FeatureContext) -> None:
    """«Markér som evaluert/utført/gjennomgått» and ``eierkanal``."""
    runtime = context.runtime
    Closing(
        runtime.store,
        runtime.handbook,
        runtime.schedule.current,
        runtime.config.leader_aad_ids,
        runtime.clock,
    ).register(context.replies)
