"""The scheduler loop: plan from the schedule, claim what is due, send it within the limits.

Every ``tick`` (15 s by default) :meth:`Worker.tick`:

1. plans the window from the current schedule and the subscriptions (``Outbox.plan``), and
   withdraws what the plan no longer contains (``Outbox.withdraw``);
2. expires what fell due longer ago than the grace period (reported, not sent);
3. claims due rows with a lease, batch after batch, and sends each through the
   :class:`~bot.delivery.throttle.Throttle` and the :class:`~bot.delivery.sender.Sender`;
4. records each outcome as :func:`~bot.delivery.retry.classify` says: sent; retried after the
   ``Retry-After`` or a back-off (failed after the policy's last attempt); the bot removed
   (403/404): the conversation unsubscribed and its planned rows cancelled; else failed.
   After a ``Retry-After``, that conversation's other claimed rows are given back unsent
   (``deferred``, no attempt counted) until the wait is over, so a throttled conversation is
   not hit again and again while the others go on.

Between ticks it waits ``tick``, or less when a planned row falls due sooner (a retry after a
short ``Retry-After``); :meth:`Worker.wake` (wired to the outbox's ``on_planned`` in the app)
starts the next tick at once, so what a feature plans in a turn (a broadcast, a ticket, its
answer, a topic proposal) goes out without waiting. Which instance sends a row is still decided
by the claims alone.

The database calls block, so they run in the default executor. :meth:`Worker.stop` stops
claiming, lets the sends under way finish (those still waiting for the throttle are not sent),
then releases what this worker still holds, so another instance or the next start sends it at
once instead of after the lease.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import utcnow
from bot.delivery.closing import open_moments
from bot.delivery.outbox import FAILED, Delivery, Outbox, OutboxItem
from bot.delivery.planner import PLANNED_KINDS, PlannerSettings, plan_deliveries
from bot.delivery.retry import Action, classify
from bot.delivery.sender import Sender, SendResult
from bot.delivery.throttle import Throttle
from bot.store import ConversationRecord, Store
from bot.store.closures import Closures
from schedule import Schedule
from schedule.upcoming import due_moments

log = logging.getLogger(__name__)


#: More planning beside the schedule's (review reminders, session change notices): called with
#: (outbox, schedule or None, now) in a thread each tick, before the schedule is planned;
#: returns (planned, withdrawn).
PlanSource = Callable[[Outbox, Schedule | None, datetime], tuple[int, int]]


#: The shortest pause between ticks (rows still due after a tick: let the loop breathe).
MIN_PAUSE = 0.05


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class WorkerSettings:
    tick: timedelta = timedelta(seconds=15)
    lease: timedelta = timedelta(minutes=5)  # well above the sender's timeout
    batch: int = 50  # rows per claim
    # rows of one conversation per claim: Teams allows 7 a second per conversation, so a batch
    # never waits long for one conversation while the others in it are done
    per_conversation: int = 7
    max_batches: int = 200  # per tick, so planning and expiry still run in a long backlog
    concurrency: int = 16  # sends under way at once
    planner: PlannerSettings = field(default_factory=PlannerSettings)


@dataclass
class TickReport:
    planned: int = 0
    withdrawn: int = 0
    expired: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unsubscribed: int = 0
    deferred: int = 0  # not sent: their conversation asked us to wait (Retry-After)
    lost: int = 0  # claims that ran out before the outcome could be recorded


def planning(planner: Callable[[datetime], Iterable[OutboxItem]]) -> PlanSource:
    """A :data:`PlanSource` from a planner that only adds items (now, UTC -> items), such as
    the monthly digest; it runs every tick, so it must be cheap when there is nothing to plan."""

    def source(outbox: Outbox, _schedule: Schedule | None, now: datetime) -> tuple[int, int]:
        return outbox.plan(planner(now)), 0

    source.__qualname__ = f"planning({planner!r})"
    return source


class Worker:
    """Sends the outbox. ``schedule`` returns the current schedule (None: plan nothing from
    it); ``sources`` plan what does not come from the schedule (review reminders, session
    change notices, the monthly digest)."""

    def __init__(
        self,
        outbox: Outbox,
        store: Store,
        sender: Sender,
        schedule: Callable[[], Awaitable[Schedule]] | None = None,
        *,
        throttle: Throttle | None = None,
        settings: WorkerSettings = WorkerSettings(),
        clock: Callable[[], datetime] = utcnow,
        worker_id: str | None = None,
        listeners: Sequence[Callable[[list[Delivery]], Awaitable[None]]] = (),
        closures: Closures | None = None,
        sources: Sequence[PlanSource] = (),
    ):
        self.outbox = outbox
        self.store = store
        self.sender = sender
        self.schedule = schedule
        self.throttle = throttle or Throttle()
        self.settings = settings
        self.clock = clock
        self.worker_id = worker_id or new_worker_id()
        # Told which rows reached an outcome (sent, retried, failed, expired) in each tick,
        # e.g. to update a broadcast's report card; a listener's error is logged, not raised.
        self.listeners = list(listeners)
        self.closures = closures  # closed deadlines and occurrences are not planned
        self.sources = tuple(sources)
        self._stopping = False
        self._moments: tuple[Schedule, tuple] | None = None  # see _due_moments
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        # conversation id -> until when it asked us to wait (a 429's Retry-After): its other
        # rows are given back unsent until then instead of hitting the limit again
        self._paused: dict[str, datetime] = {}
        self._task: asyncio.Task | None = None

    async def _db(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    # -- one tick ---------------------------------------------------------------------------

    async def tick(self) -> TickReport:
        report = TickReport()
        now = self.clock()
        self._paused = {c: until for c, until in self._paused.items() if until > now}
        if self.schedule is not None or self.sources:
            schedule = await self.schedule() if self.schedule is not None else None
            report.planned, report.withdrawn = await self._db(self._plan, schedule, now)
        grace = self.settings.planner.grace
        expired = await self._db(self.outbox.expire_older_than, grace, now)
        report.expired = len(expired)
        finished: list[Delivery] = list(expired)
        seen: set[int] = set()
        for _ in range(self.settings.max_batches):
            if self._stopping:
                break
            batch = await self._db(self._claim)
            if not batch:
                break
            await self._send_batch(batch, report)
            finished += batch
            # A short batch is not the end (the per-conversation cap may have left rows), but
            # a batch of rows already tried in this tick (a retry due at once) is.
            ids = {d.id for d in batch}
            if ids <= seen:
                break
            seen |= ids
        await self._tell(finished)
        if report != TickReport():
            log.info("outbox tick: %s", report)
        return report

    async def _tell(self, finished: list[Delivery]) -> None:
        if not finished:
            return
        for listener in self.listeners:
            try:
                await listener(finished)
            except Exception:
                log.exception("outbox listener failed")

    def _plan(self, schedule: Schedule | None, now: datetime) -> tuple[int, int]:
        planned = withdrawn = 0
        for source in self.sources:
            try:
                new, gone = source(self.outbox, schedule, now)
            except Exception:  # one broken source must not stop the others
                log.exception("outbox: planning with %r failed", source)
                continue
            planned, withdrawn = planned + new, withdrawn + gone
        if schedule is None:
            return planned, withdrawn
        moments = self._due_moments(schedule)
        if self.closures is not None:
            moments = open_moments(moments, self.closures.closed())
        plan = plan_deliveries(
            moments,
            self.store.subscriptions(),
            now,
            self.settings.planner,
            personal=self._personal_chats(),
        )
        planned += self.outbox.plan(plan.items)
        withdrawn += self.outbox.withdraw(plan.keys, PLANNED_KINDS, plan.since, plan.until)
        return planned, withdrawn

    def _due_moments(self, schedule: Schedule) -> tuple:
        """The schedule's due moments, expanded once per schedule (the recurrence rules are the
        costly part), not on every tick: the provider hands out the same object until a file
        changes."""
        if self._moments is None or self._moments[0] is not schedule:
            self._moments = (schedule, due_moments(schedule))
        return self._moments[1]

    def _personal_chats(self) -> dict[str, str]:
        """Azure AD object id (and Teams user id) → the bot's personal chat with that person."""
        chats: dict[str, str] = {}
        for record in self.store.conversations(conversation_type="personal"):
            user = record.reference.get("user") or {}
            for key in (user.get("aadObjectId"), user.get("id")):
                if key:
                    chats[key] = record.conversation_id
        return chats

    def _claim(self) -> list[Delivery]:
        settings = self.settings
        return self.outbox.claim(
            self.worker_id,
            self.clock(),
            settings.batch,
            settings.lease,
            settings.per_conversation,
        )

    async def _send_batch(self, batch: list[Delivery], report: TickReport) -> None:
        ids = {d.conversation_id for d in batch}
        records = await self._db(self.store.conversations_by_id, ids)
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def one(delivery: Delivery) -> None:
            async with gate:
                await self._deliver(delivery, records.get(delivery.conversation_id), report)

        await asyncio.gather(*(one(d) for d in batch))

    async def _deliver(
        self, delivery: Delivery, record: ConversationRecord | None, report: TickReport
    ) -> None:
        if record is None:  # uninstalled: the store forgot the conversation
            await self._removed(delivery, "conversation unknown (bot uninstalled)", report)
            return
        paused = self._paused.get(delivery.conversation_id)
        if paused is not None and paused > self.clock():
            reason = "deferred: the conversation asked us to wait (Retry-After)"
            done = await self._db(self.outbox.defer, delivery, paused, reason)
            report.deferred += done
            report.lost += not done
            return
        await self.throttle.acquire(record.conversation_id, record.tenant_id)
        if self._stopping:
            return  # not sent; released at the end
        try:
            result = await self.sender.send(delivery, record)
        except Exception as error:  # a bug, not an answer: retried, then failed
            log.exception("sending outbox row %d failed", delivery.id)
            result = SendResult(None, None, f"{type(error).__name__}: {error}")
        await self._record(delivery, result, report)

    async def _record(self, delivery: Delivery, result: SendResult, report: TickReport) -> None:
        action = classify(result.status)
        error = result.error or f"HTTP {result.status}"
        if action is Action.SENT:
            done = await self._db(self.outbox.mark_sent, delivery, result.activity_id)
            report.sent += done
        elif action is Action.RETRY:
            if result.retry_after:
                until = self.clock() + timedelta(seconds=result.retry_after)
                self._paused[delivery.conversation_id] = max(
                    until, self._paused.get(delivery.conversation_id, until)
                )
            status = await self._db(self.outbox.mark_retry, delivery, error, result.retry_after)
            done = bool(status)
            report.failed += status == FAILED
            report.retried += status not in ("", FAILED)
        elif action is Action.UNSUBSCRIBE:
            await self._removed(delivery, f"bot removed from the conversation ({error})", report)
            return
        else:
            done = await self._db(self.outbox.mark_failed, delivery, error)
            report.failed += done
        report.lost += not done

    async def _removed(self, delivery: Delivery, reason: str, report: TickReport) -> None:
        def forget() -> bool:
            self.store.unsubscribe(delivery.conversation_id)
            self.outbox.cancel_conversation(delivery.conversation_id, reason)
            return self.outbox.mark_failed(delivery, reason)

        done = await self._db(forget)
        log.warning("outbox: %s unsubscribed: %s", delivery.conversation_id, reason)
        report.unsubscribed += 1
        report.failed += done
        report.lost += not done

    # -- the loop -----------------------------------------------------------------------------

    def start(self) -> asyncio.Task:
        self._task = asyncio.create_task(self.run(), name=f"outbox-worker {self.worker_id}")
        return self._task

    def wake(self) -> None:
        """Tick now rather than at the next tick (something was planned). Safe to call from
        any thread, e.g. a feature planning rows in the executor; a no-op when not running."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            same_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            same_loop = False
        if same_loop:
            self._wake.set()
        else:
            loop.call_soon_threadsafe(self._wake.set)

    def _pause(self) -> float:
        """Seconds until the next tick: the tick interval, or less when a planned row (a retry
        after a short ``Retry-After``, a reminder due in a few seconds) falls due sooner."""
        pause = self.settings.tick.total_seconds()
        next_due = self.outbox.next_due()
        if next_due is not None:
            pause = min(pause, (next_due - self.clock()).total_seconds())
        return max(pause, MIN_PAUSE)

    async def run(self) -> None:
        """Tick until :meth:`stop`; then release what this worker holds."""
        self._loop = asyncio.get_running_loop()
        try:
            while not self._stopping:
                self._wake.clear()  # a wake from here on (also during the tick) counts
                try:
                    await self.tick()
                    pause = await self._db(self._pause)
                except Exception:
                    log.exception("outbox tick failed; trying again next tick")
                    pause = self.settings.tick.total_seconds()
                if self._stopping:
                    break
                try:
                    await asyncio.wait_for(self._wake.wait(), pause)
                except TimeoutError:
                    pass
        finally:
            released = await self._db(self.outbox.release, self.worker_id)
            if released:
                log.info("outbox: released %d claimed rows at shut-down", released)

    async def stop(self, timeout: float = 60.0) -> None:
        """Stop claiming, let sends under way finish (at most ``timeout`` s), release the rest."""
        self._stopping = True
        self._wake.set()
        if self._task is None:
            await self._db(self.outbox.release, self.worker_id)
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except TimeoutError:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
