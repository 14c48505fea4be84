"""The aiohttp application: routes and start-up/shut-down. Wiring only.

app = create_app(Config.from_env())
web.run_app(app, host=config.host, port=config.port)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from aiohttp import web

from bot import features
from bot.chat.leaders import Leaders
from bot.chat.replies import Replies
from bot.clock import oslo_now as _now
from bot.config import Config
from bot.delivery.outbox import Outbox
from bot.delivery.planner import PlannerSettings
from bot.delivery.reviews import ReviewSource
from bot.delivery.sender import Sender
from bot.delivery.session_notices import SessionNoticeSource
from bot.delivery.throttle import Limit, Throttle
from bot.delivery.worker import Worker, WorkerSettings, planning
from bot.features import FeatureContext
from bot.features.closures.feature import calendar_url
from bot.features.digest.planner import DigestPlanner
from bot.store import Store
from bot.store.closures import Closures
from bot.store.designations import Designations
from bot.teams.adapter import RutineAdapter
from bot.teams.handler import RutineBot
from bot.web import ScheduleProvider, calendar_routes, page_routes
from bot.web.routines import handbook_routes
from handbook import Handbook

log = logging.getLogger(__name__)

# A Teams message is at most ~28 KB; anything far larger is not from Teams.
MAX_REQUEST_BYTES = 1024 * 1024


@dataclass
class Runtime:
    """What start-up opens and shut-down closes (filled in by :func:`_resources`)."""

    config: Config
    handbook: Handbook | None = None
    store: Store | None = None
    adapter: RutineAdapter | None = None
    bot: RutineBot | None = None
    owns_handbook: bool = True
    schedule: ScheduleProvider | None = None
    clock: Callable[[], datetime] = _now
    # Set by features: told which outbox rows finished each tick; a card made at send time.
    delivery_listeners: list[Callable[[list], Awaitable[None]]] = field(default_factory=list)
    delivery_cards: Callable[[object], Awaitable[dict | None]] | None = None
    worker: Worker | None = None  # the outbox worker, when delivery is enabled

    def wake_delivery(self) -> None:
        """A feature planned outbox rows: let the worker send them now (any thread)."""
        if self.worker is not None:
            self.worker.wake()


RUNTIME = web.AppKey("runtime", Runtime)
WORKER = web.AppKey("outbox worker", Worker)


async def messages(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    return await runtime.adapter.handle(request, runtime.bot)


async def healthz(request: web.Request) -> web.Response:
    """For a load balancer: 200 when the database answers and the handbook is indexed, else 503."""
    runtime = request.app[RUNTIME]
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(None, runtime.store.ping)
        database = "ok"
    except Exception as error:  # any failure to reach the database means "not healthy"
        log.warning("healthz: database unreachable: %s", type(error).__name__)
        database = "unreachable"
    routines = len(runtime.handbook.routines)
    errors = sum(1 for p in runtime.handbook.problems if not p.warning)
    healthy = database == "ok" and routines > 0
    body = {
        "status": "ok" if healthy else "unhealthy",
        "database": database,
        "routines": routines,
        "handbook_errors": errors,
    }
    return web.json_response(body, status=200 if healthy else 503)


async def _resources(app: web.Application) -> AsyncIterator[None]:
    runtime = app[RUNTIME]
    config = runtime.config
    loop = asyncio.get_running_loop()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    if runtime.handbook is None:
        runtime.handbook = await loop.run_in_executor(
            None, lambda: Handbook.open(config.handbook_dir, index_dir=config.index_dir)
        )
    runtime.store = await loop.run_in_executor(None, Store.open, config.database_url)
    runtime.adapter = RutineAdapter(config)
    replies = Replies(
        runtime.handbook,
        runtime.store,
        contact=config.handbook_contact,
        schedule=runtime.schedule.current,
        public_base_url=config.public_base_url,
        clock=runtime.clock,
    )
    _register_features(runtime, replies)
    runtime.bot = RutineBot(replies)
    worker = _worker(runtime) if config.delivery_enabled else None
    if worker is not None:
        app[WORKER] = runtime.worker = worker
        worker.start()
    log.info(
        "ready: %d routines from %s", len(runtime.handbook.routines), runtime.handbook.directory
    )
    yield
    if worker is not None:
        await worker.stop()
    await runtime.adapter.close()
    if runtime.owns_handbook:
        runtime.handbook.close()
    runtime.store.close()


def _register_features(runtime: Runtime, replies: Replies) -> None:
    """Wire each feature beyond the handbook (a folder under bot/features/) into the dispatcher:
    each one's ``register`` adds its text commands and buttons to ``replies``."""
    config, store, utc = runtime.config, runtime.store, _utc(runtime)
    # What the features plan in a turn wakes the worker (the rows go out now, not next tick).
    outbox = Outbox(store.engine, utc, on_planned=runtime.wake_delivery)
    features.register_all(
        FeatureContext(runtime, replies, outbox, Leaders(config.leader_aad_ids), utc)
    )


def _worker(runtime: Runtime) -> Worker:
    """The outbox's scheduler loop, on the app's clock (in UTC) and schedule."""
    config, utc = runtime.config, _utc(runtime)
    grace = timedelta(hours=config.delivery_grace_hours)
    engine, handbook = runtime.store.engine, runtime.handbook

    def routines():
        handbook.refresh()
        return handbook.routines

    closures = Closures(engine, utc)
    reviews = ReviewSource(routines, Designations(engine, utc), closures)
    sender = Sender(
        runtime.adapter,
        config.app_id,
        clock=utc,
        cards=runtime.delivery_cards,
        calendar_url=calendar_url(config.public_base_url, config.calendar_token),
    )
    if config.delivery_lease_seconds <= sender.timeout:
        log.warning(
            "DELIVERY_LEASE_SECONDS (%g) is not above the send timeout (%g s): a slow send may "
            "be taken over by another instance and sent twice",
            config.delivery_lease_seconds,
            sender.timeout,
        )
    return Worker(
        Outbox(engine, utc),
        runtime.store,
        sender,
        runtime.schedule.current,
        throttle=Throttle(
            (Limit(config.delivery_tenant_rate, 1.0),), enabled=config.delivery_rate_limit
        ),
        settings=WorkerSettings(
            tick=timedelta(seconds=config.delivery_tick_seconds),
            lease=timedelta(seconds=config.delivery_lease_seconds),
            planner=PlannerSettings(
                deadline_offsets_days=config.reminder_days,
                deadline_time=config.reminder_time,
                recurring_offsets_days=config.reminder_days,
                session_reminders=tuple(
                    timedelta(minutes=m) for m in config.session_reminder_minutes
                ),
                invitation_days_before=config.auto_invitation,
                grace=grace,
            ),
        ),
        clock=utc,
        listeners=runtime.delivery_listeners,
        closures=closures,
        sources=(
            SessionNoticeSource(runtime.store),
            reviews,
            planning(DigestPlanner(runtime.store, runtime.handbook, clock=utc, grace=grace)),
        ),
    )


def _utc(runtime: Runtime) -> Callable[[], datetime]:
    """The app's clock in UTC (what the store and the outbox keep)."""
    clock = runtime.clock
    return lambda: clock().astimezone(UTC)


def create_app(
    config: Config,
    handbook: Handbook | None = None,
    clock: Callable[[], datetime] = _now,
) -> web.Application:
    """The bot's web application; ``handbook`` lets tests share one already opened.

    Reads the schedule files once (the calendar routes need them from the first request).
    """
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    schedule = ScheduleProvider.open(config.schedule_dir, clock=clock)
    app[RUNTIME] = Runtime(
        config, handbook=handbook, owns_handbook=handbook is None, schedule=schedule, clock=clock
    )
    app.cleanup_ctx.append(_resources)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.add_routes(
        calendar_routes(
            schedule,
            public_base_url=config.public_base_url,
            calendar_token=config.calendar_token,
            clock=clock,
        )
    )
    app.add_routes(page_routes(schedule, public_base_url=config.public_base_url, clock=clock))
    app.add_routes(
        handbook_routes(lambda: app[RUNTIME].handbook, clock=clock, contact=config.handbook_contact)
    )
    return app
