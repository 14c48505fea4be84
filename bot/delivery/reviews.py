"""Routine review reminders: a routine's owner conversation hears about ``review_by`` 30 days
before it and once more when it has passed (issue 8). Pure planning, plus :class:`ReviewSource`,
which the worker runs every tick.

Who hears it: the conversation chosen with ``eierkanal <rolle>`` for the routine's ``owner``
(matched without regard to case or spacing), else the one chosen with ``eierkanal`` alone (the
handbook owner's). Nobody chosen: no reminder.

Each reminder's ``dedupe_key`` carries the review date (``review_reminder|review:<id>:<date>||
<conversation>``), so it is sent once per date and conversation, across ticks, restarts and
instances; a new ``review_by`` in the file gives new reminders. A reminder whose moment passed
while nobody was listening (the owner chose the conversation later, the bot was down) is sent
at once rather than never: the reminder still matters until the review is done. A review
closed with "Markér som gjennomgått" (closure kind ``review``, occurrence ``review_by``) is not
planned any more, and what was planned for it is withdrawn.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.delivery.outbox import Outbox, OutboxItem
from bot.delivery.planner import Plan, at_oslo
from bot.store.closures import REVIEW, ClosedKey, Closures
from bot.store.designations import HANDBOOK_OWNER, Designations, owner_role
from handbook.model import Routine
from schedule.model import OSLO

REVIEW_REMINDER = "review_reminder"  # review_by is near
REVIEW_OVERDUE = "review_overdue"  # review_by has passed
REVIEW_KINDS = frozenset({REVIEW_REMINDER, REVIEW_OVERDUE})


@dataclass(frozen=True)
class ReviewSettings:
    days_before: int = 30
    post_time: time = time(8, 0)
    grace: timedelta = timedelta(hours=6)
    horizon: timedelta = timedelta(days=60)


def owner_conversation(owner: str | None, chosen: Mapping[str, str]) -> str | None:
    """The conversation for a routine owned by ``owner``: the role's own, else (also for a
    routine whose owner is not filled in) the handbook owner's. ``chosen`` maps designation
    purposes to conversation ids."""
    return (owner and chosen.get(owner_role(owner))) or chosen.get(HANDBOOK_OWNER)


def plan_reviews(
    routines: Iterable[Routine],
    chosen: Mapping[str, str],
    closed: Collection[ClosedKey],
    now: datetime,
    settings: ReviewSettings = ReviewSettings(),
) -> Plan:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    since, until = now - settings.grace, now + settings.horizon
    today = now.astimezone(OSLO).date()
    items: list[OutboxItem] = []
    for routine in routines:
        conversation = owner_conversation(routine.owner, chosen)
        review_by = routine.review_by
        if review_by is None:  # not filled in yet: the owners' digest lists it instead
            continue
        if conversation is None or (REVIEW, routine.id, review_by.isoformat()) in closed:
            continue
        moments = []
        if review_by > today:
            soon = at_oslo(review_by - timedelta(days=settings.days_before), settings.post_time)
            moments.append((REVIEW_REMINDER, max(soon, now), at_oslo(review_by, time(0))))
        moments.append(
            (
                REVIEW_OVERDUE,
                max(at_oslo(review_by + timedelta(days=1), settings.post_time), now),
                None,
            )
        )
        for kind, at, expires in moments:
            if at > until:
                continue
            items.append(
                OutboxItem(
                    dedupe_key=f"{kind}|review:{routine.id}:{review_by.isoformat()}||{conversation}",
                    conversation_id=conversation,
                    kind=kind,
                    item_id=routine.id,
                    due_at=at,
                    payload=review_payload(routine),
                    expires_at=expires,
                )
            )
    items.sort(key=lambda i: (i.due_at, i.dedupe_key))
    return Plan(tuple(items), since, until)


def review_payload(routine: Routine) -> dict[str, object]:
    """A review reminder's payload (also what the card after «gjennomgått» is drawn from)."""
    return {
        "routine_id": routine.id,
        "title": routine.title,
        "owner": routine.owner,
        "revised": routine.revised.isoformat() if routine.revised else None,
        "review_by": routine.review_by.isoformat(),
        "at": at_oslo(routine.review_by, time(0)).isoformat(),
        "all_day": True,
    }


class ReviewSource:
    """Plans and withdraws review reminders each tick (blocking; the worker runs it in a thread).

    ``routines`` returns the handbook's current routines.
    """

    def __init__(
        self,
        routines: Callable[[], Sequence[Routine]],
        designations: Designations,
        closures: Closures,
        settings: ReviewSettings = ReviewSettings(),
    ):
        self.routines = routines
        self.designations = designations
        self.closures = closures
        self.settings = settings

    def __call__(self, outbox: Outbox, schedule, now: datetime) -> tuple[int, int]:
        chosen = {d.purpose: d.conversation_id for d in self.designations.all()}
        plan = plan_reviews(self.routines(), chosen, self.closures.closed(), now, self.settings)
        planned = outbox.plan(plan.items)
        return planned, outbox.withdraw(plan.keys, REVIEW_KINDS, plan.since, plan.until)


def withdraw_review(outbox: Outbox, routine_id: str, review_by: str, reason: str) -> int:
    """Cancel the planned reminders of a review just marked as done. Blocking."""
    rows = outbox.find(REVIEW_KINDS, [routine_id])
    return outbox.cancel([d.id for d in rows if d.payload.get("review_by") == review_by], reason)
