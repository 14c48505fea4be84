"""The monthly digest for the handbook's owners: when it is due and the outbox item for it.

On the first working day of each month (Monday to Friday, not a Norwegian public holiday) at
09:00 Oslo time, a card goes to the handbook owner's conversation (designation
``HANDBOOK_OWNER``, chosen with ``eierkanal``) through the outbox. It covers the previous
calendar month (see :func:`bot.features.digest.report.monthly_digest`). The worker calls
:class:`DigestPlanner` on every tick; the outbox's ``dedupe_key`` is ``digest|YYYY-MM``, so
each month's digest is planned once whatever the number of ticks, restarts or instances. The
content is gathered when it falls due, not before. Like every outbox row, it is sent late only
within the grace period (``DELIVERY_GRACE_HOURS``): a bot that was down longer skips that
month's digest (``python -m bot report`` shows the same figures), and a bot first started in
the middle of a month does not send last month's digest out of the blue.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from dateutil.easter import easter

from bot.clock import utcnow
from bot.delivery.outbox import Outbox, OutboxItem
from bot.features.digest.cards import digest_card, digest_text
from bot.features.digest.report import monthly_digest
from bot.store import Store
from bot.store.closures import Closures
from bot.store.designations import HANDBOOK_OWNER, Designations
from bot.store.tickets import Tickets
from handbook import Handbook
from schedule.model import OSLO

DIGEST = "digest"  # outbox kind
POST_TIME = time(9, 0)


def public_holidays(year: int) -> frozenset[date]:
    """Norway's public holidays (helligdager and 1 and 17 May) in ``year``."""
    e = easter(year)
    moving = (-3, -2, 0, 1, 39, 49, 50)  # skjærtorsdag .. 2. pinsedag
    fixed = (
        date(year, 1, 1),
        date(year, 5, 1),
        date(year, 5, 17),
        date(year, 12, 25),
        date(year, 12, 26),
    )
    return frozenset(fixed + tuple(e + timedelta(days=d) for d in moving))


def first_working_day(year: int, month: int) -> date:
    """The first Monday–Friday of the month that is not a public holiday.

    >>> first_working_day(2027, 1)   # 1 January is a holiday; the 2nd and 3rd a weekend
    datetime.date(2027, 1, 4)
    >>> first_working_day(2024, 4)   # 1 April 2024 was 2. påskedag
    datetime.date(2024, 4, 2)
    """
    holidays = public_holidays(year)
    day = date(year, month, 1)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def _month_start(day: date) -> datetime:
    return datetime(day.year, day.month, 1, tzinfo=OSLO)


def due_at(now: datetime) -> datetime:
    """This month's digest moment (Oslo time) for ``now``."""
    local = now.astimezone(OSLO)
    return datetime.combine(first_working_day(local.year, local.month), POST_TIME, OSLO)


class DigestPlanner:
    """``planner(now)`` -> the month's digest as an outbox item, once it is due (else none)."""

    def __init__(
        self,
        store: Store,
        handbook: Handbook,
        clock: Callable[[], datetime] = utcnow,
        grace: timedelta = timedelta(hours=6),
    ):
        self.grace = grace
        self.store = store
        self.handbook = handbook
        self.outbox = Outbox(store.engine, clock)
        self.tickets = Tickets(store.engine, clock)
        self.designations = Designations(store.engine, clock)
        self.closures = Closures(store.engine, clock)

    def __call__(self, now: datetime) -> list[OutboxItem]:
        moment = due_at(now)
        if not moment <= now <= moment + self.grace:
            return []
        local = now.astimezone(OSLO)
        key = f"{DIGEST}|{local:%Y-%m}"
        owner = self.designations.conversation_for(HANDBOOK_OWNER)
        if owner is None or self.outbox.get(key) is not None:
            return []
        this_month = _month_start(local.date())
        last_month = _month_start((this_month - timedelta(days=1)).date())
        digest = monthly_digest(
            self.store,
            self.tickets,
            self.handbook.routines,
            last_month.astimezone(UTC),
            this_month.astimezone(UTC),
            today=local.date(),
            closed=self.closures.closed(),
        )
        titles = {r.id: r.title for r in self.handbook.routines}
        return [
            OutboxItem(
                dedupe_key=key,
                conversation_id=owner,
                kind=DIGEST,
                item_id=f"digest:{local:%Y-%m}",
                due_at=moment,
                payload={"summary": digest_text(digest), "card": digest_card(digest, titles)},
            )
        ]
