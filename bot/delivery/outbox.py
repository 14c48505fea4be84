"""The durable outbox: every planned delivery as a row, claimed by one worker at a time.

Storage only: nothing here sends. A scheduler loop plans rows (:meth:`Outbox.plan`), claims the
due ones (:meth:`Outbox.claim`), hands them to a sender and records the outcome
(:meth:`Outbox.mark_sent`, :meth:`Outbox.mark_retry`, :meth:`Outbox.mark_failed`).

Exactly once. ``dedupe_key`` is unique, so planning the same (kind, item, occurrence,
conversation) twice stores one row. A claim is one
``WITH candidates AS MATERIALIZED (SELECT … LIMIT n) UPDATE … WHERE id IN candidates``
that re-checks, for each row, that it is still claimable (planned and due, or ``sending`` with a
lease that ran out); two workers racing for a row cannot both get it. On SQLite the statement
holds the database's write lock; on PostgreSQL the sub-select carries ``FOR UPDATE SKIP LOCKED``
(SQLAlchemy leaves it out on SQLite), so instances skip each other's rows instead of waiting.
A worker that dies leaves its rows ``sending`` until ``lease_until``; then another worker claims
them. The marks only apply while the worker still holds the claim, so a worker that outlived its
lease cannot overwrite the new owner's outcome: choose a lease well above the send timeout.

Blocking (SQLAlchemy Core): call it from a thread, never on the event loop. Times are UTC.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, case, func, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError

from bot.clock import as_utc, utcnow
from bot.delivery.retry import RetryPolicy
from bot.store.schema import OUTBOX_STATUSES, outbox

PLANNED, SENDING, SENT, FAILED, EXPIRED, CANCELLED = OUTBOX_STATUSES
_CHUNK = 500  # rows per IN (…) list
# A claim ranks this many of the rows that fell due first (kinds take turns, conversations are
# capped): enough for a broadcast to every conversation of a county and a reminder behind it,
# bounded so a claim stays cheap in a backlog of any size.
FAIR_WINDOW = 5000
# When the earliest planned row falls due (its next attempt).
_NEXT_DUE = select(func.min(outbox.c.next_attempt_at)).where(outbox.c.status == PLANNED)

log = logging.getLogger(__name__)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("outbox times must be timezone-aware")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class OutboxItem:
    """A delivery to plan: what the planner (or a broadcast) produces."""

    dedupe_key: str
    conversation_id: str
    kind: str
    item_id: str
    due_at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    expires_at: datetime | None = None  # pointless after this (e.g. "starts in 15 minutes")


@dataclass(frozen=True)
class Delivery:
    """A claimed (or reported) outbox row."""

    id: int
    dedupe_key: str
    conversation_id: str
    kind: str
    item_id: str
    due_at: datetime
    payload: dict
    status: str
    expires_at: datetime | None
    attempts: int
    claimed_by: str | None
    lease_until: datetime | None
    last_error: str | None
    sent_at: datetime | None
    updated_at: datetime
    activity_id: str | None = None  # the posted message's id (to update its card later)


@dataclass(frozen=True)
class OutboxSummary:
    counts: dict[str, int]  # per status, every status present (0 if none)
    next_due: datetime | None  # the earliest planned delivery
    failures: list[Delivery]  # the latest failed ones, newest first
    expired: list[Delivery]  # the latest expired ones, newest first


class Outbox:
    """The ``outbox`` table's repository. ``clock`` returns an aware UTC ``datetime``."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime] = utcnow,
        policy: RetryPolicy | None = None,
        rng: random.Random | None = None,
        on_planned: Callable[[], None] | None = None,
    ):
        self.engine = engine
        self._clock = clock
        self.policy = policy or RetryPolicy()
        self._rng = rng or random.Random()
        # Called (from the planning thread) when :meth:`plan` stored new rows, e.g. to wake
        # the worker so a broadcast or a ticket goes out now rather than at the next tick.
        self.on_planned = on_planned

    def _now(self, now: datetime | None = None) -> datetime:
        return _utc(now if now is not None else self._clock())

    # -- planning ---------------------------------------------------------------------------

    def plan(self, items: Iterable[OutboxItem]) -> int:
        """Store the items whose ``dedupe_key`` is new; existing rows are left alone.

        Returns how many were new. Safe to call again and again with the whole plan, and by
        several instances at once (a key another instance just inserted is skipped).
        """
        now = self._now()
        pending: dict[str, OutboxItem] = {}
        for item in items:
            pending.setdefault(item.dedupe_key, item)
        unique = list(pending.values())
        new = 0
        for start in range(0, len(unique), _CHUNK):
            new += self._plan_chunk(unique[start : start + _CHUNK], now)
        if new and self.on_planned is not None:
            try:
                self.on_planned()
            except Exception:  # the rows are stored; the next tick sends them anyway
                log.exception("outbox: on_planned failed")
        return new

    def _plan_chunk(self, items: list[OutboxItem], now: datetime) -> int:
        # Another instance may insert one of these keys between our read and our insert: then
        # the unique constraint refuses it, the chunk rolls back and is read and tried again.
        while True:
            try:
                with self.engine.begin() as conn:
                    have = dict(
                        conn.execute(
                            select(outbox.c.dedupe_key, outbox.c.status).where(
                                outbox.c.dedupe_key.in_([item.dedupe_key for item in items])
                            )
                        ).all()
                    )
                    rows = [_row(item, now) for item in items if item.dedupe_key not in have]
                    if rows:
                        conn.execute(insert(outbox), rows)
                    revived = 0
                    for item in items:
                        if have.get(item.dedupe_key) == CANCELLED:
                            revived += self._revive(conn, item, now)
                return len(rows) + revived
            except IntegrityError:
                continue

    @staticmethod
    def _revive(conn, item: OutboxItem, now: datetime) -> int:
        """A withdrawn key planned again (a session moved back, a subscription renewed)."""
        values = _row(item, now)
        del values["dedupe_key"], values["created_at"]
        return conn.execute(
            update(outbox)
            .where(outbox.c.dedupe_key == item.dedupe_key, outbox.c.status == CANCELLED)
            .values(**values)
        ).rowcount

    def withdraw(
        self, keep: Iterable[str], kinds: Iterable[str], since: datetime, until: datetime
    ) -> int:
        """Cancel planned rows of ``kinds`` due in ``[since, until]`` whose key is not in ``keep``.

        For re-planning with the plan's window: a session that moved, a deadline that was
        evaluated or a subscription that ended no longer yields its old keys, so those rows
        become ``cancelled`` instead of being sent. Planning such a key again revives it.
        Rows being sent, sent or outside the window are untouched. Returns how many were
        cancelled.
        """
        keep = set(keep)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(outbox.c.id, outbox.c.dedupe_key).where(
                    outbox.c.status == PLANNED,
                    outbox.c.kind.in_(list(kinds)),
                    outbox.c.due_at >= _utc(since),
                    outbox.c.due_at <= _utc(until),
                )
            ).all()
        return self._cancel_planned([row.id for row in rows if row.dedupe_key not in keep])

    def find(self, kinds: Iterable[str], item_ids: Iterable[str]) -> list[Delivery]:
        """Every row (any status) of ``kinds`` for ``item_ids``, oldest first: what was planned
        or sent for an item (a session's earlier times, a deadline's planned reminders)."""
        item_ids = list(dict.fromkeys(item_ids))
        found: list[Delivery] = []
        with self.engine.connect() as conn:
            for start in range(0, len(item_ids), _CHUNK):
                found += [
                    _delivery(row)
                    for row in conn.execute(
                        select(outbox).where(
                            outbox.c.kind.in_(list(kinds)),
                            outbox.c.item_id.in_(item_ids[start : start + _CHUNK]),
                        )
                    )
                ]
        return sorted(found, key=lambda d: d.id)

    def cancel(self, ids: Iterable[int], reason: str) -> int:
        """Cancel the rows ``ids`` that are still planned (e.g. the occurrence was closed)."""
        return self._cancel_planned(list(ids), last_error=reason[:2000])

    def _cancel_planned(self, ids: list[int], **values: Any) -> int:
        """Cancel the rows ``ids`` that are still planned, in chunks; how many were."""
        cancelled = 0
        for start in range(0, len(ids), _CHUNK):
            with self.engine.begin() as conn:
                cancelled += conn.execute(
                    update(outbox)
                    .where(outbox.c.id.in_(ids[start : start + _CHUNK]), outbox.c.status == PLANNED)
                    .values(status=CANCELLED, updated_at=self._now(), **values)
                ).rowcount
        return cancelled

    def cancel_conversation(self, conversation_id: str, reason: str) -> int:
        """Cancel everything still planned for a conversation (the bot was removed: 403/404)."""
        with self.engine.begin() as conn:
            return conn.execute(
                update(outbox)
                .where(outbox.c.conversation_id == conversation_id, outbox.c.status == PLANNED)
                .values(status=CANCELLED, last_error=reason[:2000], updated_at=self._now())
            ).rowcount

    def next_due(self) -> datetime | None:
        """When the earliest planned row falls due (its next attempt), or None."""
        with self.engine.connect() as conn:
            when = conn.execute(_NEXT_DUE).scalar()
        return as_utc(when)

    # -- claiming -----------------------------------------------------------------------------

    def _claimable(self, now: datetime):
        return and_(
            or_(
                and_(outbox.c.status == PLANNED, outbox.c.next_attempt_at <= now),
                and_(outbox.c.status == SENDING, outbox.c.lease_until < now),
            ),
            or_(outbox.c.expires_at.is_(None), outbox.c.expires_at > now),
        )

    def claim(
        self,
        worker_id: str,
        now: datetime | None = None,
        limit: int = 50,
        lease: timedelta = timedelta(minutes=5),
        per_conversation: int | None = None,
    ) -> list[Delivery]:
        """Claim up to ``limit`` due rows for ``worker_id`` until ``now + lease``.

        Fair rather than strictly oldest first (see :meth:`claim_statement`): kinds take turns,
        and at most ``per_conversation`` rows of one conversation are taken (None: no cap).
        A claimed row is ``sending`` and its ``attempts`` counts this try. Only rows that are
        still claimable when the update runs are taken, so a row goes to one worker only.
        """
        if limit < 1:
            return []
        statement = self.claim_statement(worker_id, self._now(now), limit, lease, per_conversation)
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # With stale statistics (a broadcast just planned) PostgreSQL estimated one row
                # on each side of the ranking's join and chose a nested loop over every pair:
                # 370 ms for one claim among 1,000 due rows. A hash join takes a few ms.
                conn.execute(text("SET LOCAL enable_nestloop = off"))
            rows = conn.execute(statement).all()
        return sorted((_delivery(row) for row in rows), key=lambda d: (d.due_at, d.id))

    def claim_statement(
        self,
        worker_id: str,
        now: datetime,
        limit: int,
        lease: timedelta,
        per_conversation: int | None = None,
    ):
        """The one statement a claim is (public so a test can compile it for PostgreSQL).

        Which rows: of the ``FAIR_WINDOW`` claimable rows that fell due first, each is ranked
        within its kind and within its conversation (by due time, then id); a claim takes the
        rows of rank 1 of every kind first, then rank 2, and so on, and no row ranked past
        ``per_conversation`` in its conversation. So a reminder planned just after a broadcast
        to a thousand conversations goes in the next claim, not after the broadcast, and one
        conversation's pile (slowed down by Teams' 7/s per conversation, or a 429) does not fill
        a batch that the other conversations then wait behind. The ranking is in a sub-select
        joined to the table: PostgreSQL refuses ``FOR UPDATE`` in a query with window functions,
        so only the outer select locks, and only the table's rows (``FOR UPDATE OF outbox SKIP
        LOCKED``); rows another instance holds are skipped and the next ones taken, as before.
        """
        now = _utc(now)
        order = (outbox.c.next_attempt_at, outbox.c.id)
        window = (
            select(outbox.c.id, outbox.c.kind, outbox.c.conversation_id, *order[:1])
            .where(self._claimable(now))
            .order_by(*order)
            .limit(FAIR_WINDOW)
            .subquery("due")
        )
        due_order = (window.c.next_attempt_at, window.c.id)
        ranked = select(
            window.c.id,
            window.c.next_attempt_at,
            func.row_number().over(partition_by=window.c.kind, order_by=due_order).label("in_kind"),
            func.row_number()
            .over(partition_by=window.c.conversation_id, order_by=due_order)
            .label("in_conversation"),
        ).subquery("ranked")
        chosen = select(outbox.c.id).join(ranked, ranked.c.id == outbox.c.id)
        if per_conversation is not None:
            chosen = chosen.where(ranked.c.in_conversation <= max(1, per_conversation))
        # MATERIALIZED: the candidates are chosen once. As a plain ``IN (SELECT … LIMIT n)``
        # PostgreSQL may run the sub-select again for each row it updates; the rows it already
        # updated are then skipped and the next ones picked, so one claim took more than
        # ``limit`` rows. (SQLite, 3.35 and later, reads ``AS MATERIALIZED`` the same way.)
        candidates = (
            chosen.where(self._claimable(now))
            .order_by(ranked.c.in_kind, *order)
            .limit(limit)
            .with_for_update(skip_locked=True, of=outbox)  # PostgreSQL; SQLite renders nothing
            .cte("candidates")
            .prefix_with("MATERIALIZED")
        )
        return (
            update(outbox)
            .where(outbox.c.id.in_(select(candidates.c.id)), self._claimable(now))
            .values(
                status=SENDING,
                claimed_by=worker_id,
                lease_until=now + lease,
                attempts=outbox.c.attempts + 1,
                updated_at=now,
            )
            .returning(*outbox.c)
        )

    def release(self, worker_id: str, now: datetime | None = None) -> int:
        """Give back the rows ``worker_id`` holds (graceful shutdown): planned again, at once.

        The attempt the claim counted is taken back. Returns how many rows were released.
        """
        now = self._now(now)
        with self.engine.begin() as conn:
            return conn.execute(
                update(outbox)
                .where(outbox.c.status == SENDING, outbox.c.claimed_by == worker_id)
                .values(
                    status=PLANNED,
                    claimed_by=None,
                    lease_until=None,
                    attempts=case((outbox.c.attempts > 0, outbox.c.attempts - 1), else_=0),
                    next_attempt_at=now,
                    updated_at=now,
                )
            ).rowcount

    # -- outcomes -----------------------------------------------------------------------------

    def _finish(self, delivery: Delivery, **values: Any) -> bool:
        """Update ``delivery`` only while its claim is still this worker's."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(outbox)
                .where(
                    outbox.c.id == delivery.id,
                    outbox.c.status == SENDING,
                    outbox.c.claimed_by == delivery.claimed_by,
                    outbox.c.attempts == delivery.attempts,
                )
                .values(claimed_by=None, lease_until=None, updated_at=self._now(), **values)
            )
        return result.rowcount == 1

    def mark_sent(self, delivery: Delivery, activity_id: str | None = None) -> bool:
        """Record a successful send (and the posted message's id, so its card can be updated
        later). False if the claim was lost (the lease ran out)."""
        return self._finish(
            delivery,
            status=SENT,
            sent_at=self._now(),
            last_error=None,
            activity_id=(activity_id or None) and activity_id[:256],
        )

    def defer(self, delivery: Delivery, until: datetime, reason: str) -> bool:
        """Give a claimed row back unsent, due again at ``until``; the attempt the claim
        counted is taken back (the conversation asked us to wait: nothing was tried)."""
        return self._finish(
            delivery,
            status=PLANNED,
            next_attempt_at=_utc(until),
            attempts=max(0, delivery.attempts - 1),
            last_error=reason[:2000],
        )

    def mark_failed(self, delivery: Delivery, error: str) -> bool:
        """Give up on ``delivery`` (e.g. a 4xx, or the conversation is gone)."""
        return self._finish(delivery, status=FAILED, last_error=error[:2000])

    def mark_retry(self, delivery: Delivery, error: str, retry_after: float | None = None) -> str:
        """Plan another try after ``retry_after`` seconds (the server's ``Retry-After``) or
        exponential back-off with jitter; after the policy's last attempt it is ``failed``.

        Returns the new status (``planned`` or ``failed``), or ``""`` if the claim was lost.
        """
        if self.policy.gives_up(delivery.attempts):
            message = f"{error} (gave up after {delivery.attempts} attempts)"
            return FAILED if self.mark_failed(delivery, message) else ""
        wait = self.policy.delay(delivery.attempts, retry_after, self._rng)
        retry_at = self._now() + timedelta(seconds=wait)
        done = self._finish(delivery, status=PLANNED, next_attempt_at=retry_at, last_error=error)
        return PLANNED if done else ""

    def expire_older_than(self, grace: timedelta, now: datetime | None = None) -> list[Delivery]:
        """Expire what fell due more than ``grace`` ago, or whose ``expires_at`` has passed, and
        was never sent (the bot was down, or Teams throttled it for too long).

        Planned rows and rows whose worker died (lease ran out) are marked ``expired`` and
        returned, for the report; they are not sent.
        """
        now = self._now(now)
        cutoff = now - grace
        stale = and_(
            or_(outbox.c.due_at < cutoff, outbox.c.expires_at <= now),
            or_(
                outbox.c.status == PLANNED,
                and_(outbox.c.status == SENDING, outbox.c.lease_until < now),
            ),
        )
        with self.engine.begin() as conn:
            rows = conn.execute(
                update(outbox)
                .where(stale)
                .values(
                    status=EXPIRED,
                    claimed_by=None,
                    lease_until=None,
                    last_error=f"expired unsent at {now.isoformat()} (grace {grace})",
                    updated_at=now,
                )
                .returning(*outbox.c)
            ).all()
        return sorted((_delivery(row) for row in rows), key=lambda d: (d.due_at, d.id))

    # -- reporting ----------------------------------------------------------------------------

    def get(self, dedupe_key: str) -> Delivery | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(outbox).where(outbox.c.dedupe_key == dedupe_key)).first()
        return _delivery(row) if row else None

    def summary(self, latest: int = 10) -> OutboxSummary:
        with self.engine.connect() as conn:
            counts = dict.fromkeys(OUTBOX_STATUSES, 0)
            for status, n in conn.execute(
                select(outbox.c.status, func.count()).group_by(outbox.c.status)
            ):
                counts[status] = n
            next_due = conn.execute(_NEXT_DUE).scalar()

            def newest(status: str) -> list[Delivery]:
                query = (
                    select(outbox)
                    .where(outbox.c.status == status)
                    .order_by(outbox.c.updated_at.desc(), outbox.c.id.desc())
                    .limit(latest)
                )
                return [_delivery(row) for row in conn.execute(query)]

            return OutboxSummary(counts, as_utc(next_due), newest(FAILED), newest(EXPIRED))


def format_summary(summary: OutboxSummary) -> str:
    """The summary as ``python -m bot outbox`` prints it (Norwegian, for the operators)."""
    labels = {
        PLANNED: "planlagt",
        SENDING: "sendes nå",
        SENT: "sendt",
        FAILED: "feilet",
        EXPIRED: "utløpt (ikke sendt)",
        CANCELLED: "avlyst",
    }
    lines = ["Utsendinger (outbox)"]
    lines += [f"  {labels[status]:<20} {n:>6}" for status, n in summary.counts.items()]
    if summary.next_due is not None:
        lines.append(f"  neste planlagte: {summary.next_due:%d.%m.%Y %H:%M} UTC")
    for title, rows in (("Siste feil", summary.failures), ("Sist utløpt", summary.expired)):
        lines.append(f"\n{title}")
        if not rows:
            lines.append("  ingen")
        for d in rows:
            lines.append(
                f"  {d.updated_at:%d.%m.%Y %H:%M}  {d.kind} {d.item_id} → {d.conversation_id}"
                f"  ({d.attempts} forsøk): {d.last_error or ''}"
            )
    return "\n".join(lines) + "\n"


def _row(item: OutboxItem, now: datetime) -> dict[str, Any]:
    due = _utc(item.due_at)
    return dict(
        dedupe_key=item.dedupe_key,
        conversation_id=item.conversation_id,
        kind=item.kind,
        item_id=item.item_id,
        due_at=due,
        expires_at=_utc(item.expires_at) if item.expires_at is not None else None,
        payload=json.dumps(dict(item.payload), sort_keys=True, ensure_ascii=False),
        status=PLANNED,
        attempts=0,
        next_attempt_at=due,
        claimed_by=None,
        lease_until=None,
        last_error=None,
        sent_at=None,
        created_at=now,
        updated_at=now,
    )


def _delivery(row) -> Delivery:
    return Delivery(
        id=row.id,
        dedupe_key=row.dedupe_key,
        conversation_id=row.conversation_id,
        kind=row.kind,
        item_id=row.item_id,
        due_at=as_utc(row.due_at),
        payload=json.loads(row.payload),
        status=row.status,
        expires_at=as_utc(row.expires_at),
        attempts=row.attempts,
        claimed_by=row.claimed_by,
        lease_until=as_utc(row.lease_until),
        last_error=row.last_error,
        sent_at=as_utc(row.sent_at),
        updated_at=as_utc(row.updated_at),
        activity_id=row.activity_id,
    )
