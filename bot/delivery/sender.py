"""Posting one outbox delivery to its conversation, proactively; the only Bot Framework here.

The message goes straight to the Bot Connector at the conversation's stored ``serviceUrl``
(``POST /v3/conversations/{id}/activities``), through the adapter's authentication and its
cached connector clients on the shared aiohttp session (:mod:`bot.teams.connector_client`): the same
credentials ``CloudAdapter.continue_conversation`` would use, without a turn around it (whose
error handler would swallow the HTTP status) and without ``replyToId`` (a new post, not a reply
to the install message).

The outcome is plain data, :class:`SendResult`: the HTTP status (``None`` for a network error or
timeout) and the ``Retry-After`` in seconds, for :func:`bot.delivery.retry.classify`.

The text is a plain Norwegian sentence made from the payload the planner stored; a payload with
a ``card`` (an Adaptive Card dict) also gets the card. The card design belongs to
:mod:`bot.chat.cards` later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
from botbuilder.schema import Activity, Attachment

from bot.chat.cards import CONTENT_TYPE
from bot.clock import utcnow
from bot.delivery import planner
from bot.delivery.addressing import ProactiveConnector, addressed_message
from bot.delivery.outbox import Delivery
from bot.delivery.retry import parse_retry_after
from bot.delivery.reviews import REVIEW_KINDS
from bot.features.closures import cards as closure_cards
from bot.store import ConversationRecord
from bot.teams.connector_client import ConnectorError
from schedule.norsk import clock as clock_text
from schedule.norsk import long_date

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    status: int | None  # HTTP status; None: network error or timeout
    retry_after: float | None = None  # seconds, from the connector's Retry-After
    error: str = ""  # for the outbox's last_error when it was not sent
    activity_id: str | None = None  # the posted message's id, when sent


def message_text(kind: str, payload: Mapping[str, Any]) -> str:
    """The message for a delivery of ``kind``, in Norwegian, from the planner's payload."""
    if payload.get("text"):
        return str(payload["text"])
    if kind in REVIEW_KINDS:
        return closure_cards.review_summary(kind, payload)
    title = str(payload.get("title") or "")
    at = planner.payload_moment(payload)
    all_day = bool(payload.get("all_day"))
    day = long_date(at.date()) if at else ""
    when = day if all_day or at is None else f"{day} kl. {clock_text(at)}"
    offset = str(payload.get("offset") or "")
    link = f"\n\n{payload['url']}" if payload.get("url") else ""
    responsible = f" Ansvarlig: {payload['responsible']}." if payload.get("responsible") else ""
    match kind:
        case planner.SESSION_REMINDER:
            soon = "om 15 minutter" if offset == "15m" else when
            return f"Påminnelse: Fredagsprat «{title}» starter {soon}.{link}"
        case planner.INVITATION:
            return f"Invitasjon til Fredagsprat {when}: «{title}».{link}"
        case planner.TOPIC:
            return f"Tema for Fredagsprat er klart: «{title}».{link}"
        case planner.DEADLINE_REMINDER:
            return f"Påminnelse: frist for evaluering av «{title}» er {day}.{responsible}{link}"
        case planner.DEADLINE_OVERDUE:
            return (
                f"Fristen for evaluering av «{title}» gikk ut {day} og er ikke markert som "
                f"evaluert.{responsible}{link}"
            )
        case planner.RECURRING_REMINDER:
            return f"Påminnelse: «{title}» skal gjøres innen {day}.{responsible}{link}"
        case _:
            return f"{title} – {when}.{link}" if title and when else title or when


def build_activity(
    delivery: Delivery,
    conversation: ConversationRecord,
    card: dict | None = None,
    calendar_url: str = "",
) -> Activity:
    """The message activity for ``delivery``, addressed from the stored reference.

    With a card (``card``; else the payload's ``card``; else, for a reminder that can be closed
    ("Markér som evaluert"), one from :mod:`bot.features.closures.cards`, which links ``calendar_url``,
    the private feed) the text becomes the message's ``summary`` (notifications, clients
    without cards) instead of a line above the card.
    """
    conversation_id = conversation.conversation_id
    thread = delivery.payload.get("thread")  # a channel thread's first message: reply there
    if isinstance(thread, str) and thread and conversation.conversation_type == "channel":
        conversation_id = f"{conversation_id};messageid={thread}"
    activity = addressed_message(conversation, conversation_id)
    activity.text = message_text(delivery.kind, delivery.payload)
    card = card if card is not None else delivery.payload.get("card")
    if not isinstance(card, dict):
        card = closure_cards.reminder_card(
            delivery.kind, delivery.item_id, delivery.payload, calendar_url
        )
    if isinstance(card, dict):
        activity.attachments = [Attachment(content_type=CONTENT_TYPE, content=card)]
        summary = delivery.payload.get("summary")
        # The card says it all; a sentence goes along as the notification (and for clients
        # without cards), not as a line above the card (a second message in some clients,
        # which gets no id).
        summary = summary if isinstance(summary, str) and summary else activity.text
        activity.summary, activity.text = summary, None
    return activity


class Sender:
    """Posts deliveries through ``adapter`` (a :class:`bot.teams.adapter.RutineAdapter`)."""

    def __init__(
        self,
        adapter,
        app_id: str = "",
        *,
        timeout: float = 30.0,
        clock: Callable[[], datetime] = utcnow,
        cards: Callable[[Delivery], Awaitable[dict | None]] | None = None,
        calendar_url: str = "",
    ):
        self.adapter = adapter
        # A card made at send time for a kind whose payload has none (the planner's
        # invitation: the session is read from the current schedule); None: the payload's.
        self.cards = cards
        self.calendar_url = calendar_url  # the private deadline feed, linked from reminders
        self.app_id = app_id
        self.timeout = timeout
        self._clock = clock
        self._connector = ProactiveConnector(adapter, app_id)

    async def send(self, delivery: Delivery, conversation: ConversationRecord) -> SendResult:
        """Post ``delivery`` to ``conversation``; never raises for what the connector answers."""
        card = await self.cards(delivery) if self.cards is not None else None
        activity = build_activity(delivery, conversation, card, self.calendar_url)
        try:
            async with asyncio.timeout(self.timeout):
                client = await self._connector.client(activity.service_url)
                response = await client.conversations.send_to_conversation(
                    activity.conversation.id, activity
                )
        except ConnectorError as error:
            wait = parse_retry_after(error.retry_after, self._clock())
            return SendResult(error.status, wait, str(error))
        except TimeoutError:
            return SendResult(None, None, f"no answer within {self.timeout:g} s")
        except (aiohttp.ClientError, OSError) as error:
            return SendResult(None, None, f"{type(error).__name__}: {error}")
        return SendResult(201, None, "", getattr(response, "id", None))
