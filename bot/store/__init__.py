"""What the bot learns at run time, in SQL: conversations, subscriptions, votes, unanswered
questions, usage. (The delivery outbox has its own repository: :mod:`bot.delivery.outbox`.)

SQLAlchemy Core only, no dialect-specific SQL, so the same code runs on the embedded SQLite
default and on PostgreSQL (``DATABASE_URL``). :meth:`Store.open` migrates the database to the
newest schema first (Alembic), so an upgrade never loses data.

May import bot.clock, bot.pii and SQLAlchemy/Alembic only: no other room of bot/.

Blocking by design: call it from a thread (``loop.run_in_executor``), never on the event loop.

    >>> store = Store.open("sqlite://")                 # doctest: +SKIP
    >>> store.record_vote("klage", "frister", "down", "personal")  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import (
    URL,
    Engine,
    case,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from bot.clock import as_utc, utcnow
from bot.store.schema import (
    TOPICS,
    answers,
    conversations,
    feedback,
    join_ids,
    metadata,
    not_useful,
    split_ids,
    subscriptions,
    unanswered,
)

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x52757469  # PostgreSQL advisory lock key held while migrating ("Ruti")
VOTES = ("up", "down")

__all__ = ["TOPICS", "ConversationRecord", "Store", "Subscription", "VOTES", "metadata"]


@dataclass(frozen=True)
class ConversationRecord:
    conversation_id: str
    channel_id: str
    conversation_type: str
    service_url: str
    reference: dict
    tenant_id: str | None = None
    team_id: str | None = None
    subscribed: bool = False


@dataclass(frozen=True)
class Subscription:
    """A conversation subscribed to a topic (``fredagsprat`` or ``frister``) since ``since``."""

    conversation_id: str
    topic: str
    since: datetime


@dataclass(frozen=True)
class VoteCount:
    routine_id: str
    up: int
    down: int


@dataclass(frozen=True)
class NotUsefulQuestion:
    """A question whose answer (``routine_id``, ``section``) was voted «Ikke nyttig»."""

    question: str
    routine_id: str
    section: str
    created_at: datetime


@dataclass(frozen=True)
class UnansweredQuestion:
    question: str
    closest: tuple[str, ...]
    had_personal_data: bool
    conversation_type: str
    created_at: datetime


def database_url(url: str) -> URL:
    """``url`` as SQLAlchemy should open it: a plain ``postgresql://`` (or ``postgres://``) URL
    uses the psycopg 3 driver, which the project installs; anything else is left as it is."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite the directory is created, WAL switched on and commits
    synced at checkpoints (``synchronous=NORMAL``).

    ``postgresql://…`` opens PostgreSQL with psycopg 3 (see :func:`database_url`).
    """
    if url.startswith("sqlite"):
        if url in ("sqlite://", "sqlite:///:memory:"):
            engine = create_engine(url, poolclass=StaticPool)
        else:
            path = Path(url.removeprefix("sqlite:///"))
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL syncs at checkpoints, not at every commit: a commit survives the
            # process being killed (the outbox's exactly-once holds); only a power cut or an
            # OS crash may lose the last moments. It takes the fsync off every answer.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.close()

        return engine
    return create_engine(database_url(url), pool_pre_ping=True)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (creates it on first start)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several instances starting at once on a new database: one migrates, the others
            # wait here until it has committed, then find nothing left to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


class Store:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow):
        self.engine = engine
        self._clock = clock

    @classmethod
    def open(cls, url: str, clock: Callable[[], datetime] = utcnow) -> Store:
        engine = create_db_engine(url)
        migrate(engine)
        return cls(engine, clock)

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> None:
        """Raises if the database cannot be reached (for ``/healthz``)."""
        with self.engine.connect() as connection:
            connection.execute(select(1))

    # -- conversations -------------------------------------------------------------------

    def save_conversation(self, record: ConversationRecord) -> bool:
        """Store where the bot is installed; returns True if it was not known before."""
        now = self._clock()
        values = {
            "channel_id": record.channel_id,
            "conversation_type": record.conversation_type,
            "tenant_id": record.tenant_id,
            "team_id": record.team_id,
            "service_url": record.service_url,
            "reference": json.dumps(record.reference, sort_keys=True),
            "updated_at": now,
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(conversations).values(
                        conversation_id=record.conversation_id,
                        subscribed=record.subscribed,
                        installed_at=now,
                        **values,
                    )
                )
            return True
        except IntegrityError:
            with self.engine.begin() as conn:
                conn.execute(
                    update(conversations)
                    .where(conversations.c.conversation_id == record.conversation_id)
                    .values(**values)
                )
            return False

    def remove_conversation(self, conversation_id: str) -> bool:
        with self.engine.begin() as conn:
            conn.execute(
                delete(subscriptions).where(subscriptions.c.conversation_id == conversation_id)
            )
            result = conn.execute(
                delete(conversations).where(conversations.c.conversation_id == conversation_id)
            )
        return result.rowcount > 0

    def set_subscribed(self, record: ConversationRecord, subscribed: bool) -> None:
        """Subscribe to every topic, or unsubscribe from all."""
        if subscribed:
            self.subscribe(record, TOPICS)
        else:
            self.save_conversation(record)
            self.unsubscribe(record.conversation_id)

    # -- subscriptions per topic -------------------------------------------------------------

    def subscribe(self, record: ConversationRecord, topics: tuple[str, ...] = TOPICS) -> None:
        """Subscribe ``record`` (stored if new) to ``topics``; already subscribed ones are kept."""
        unknown = set(topics) - set(TOPICS)
        if unknown:
            raise ValueError(f"unknown topic(s) {sorted(unknown)}; known: {TOPICS}")
        self.save_conversation(record)
        now = self._clock()
        with self.engine.begin() as conn:
            have = set(
                conn.execute(
                    select(subscriptions.c.topic).where(
                        subscriptions.c.conversation_id == record.conversation_id
                    )
                ).scalars()
            )
            for topic in dict.fromkeys(topics):
                if topic not in have:
                    conn.execute(
                        insert(subscriptions).values(
                            conversation_id=record.conversation_id, topic=topic, created_at=now
                        )
                    )
            self._sync_flag(conn, record.conversation_id)

    def unsubscribe(self, conversation_id: str, topics: tuple[str, ...] = TOPICS) -> int:
        """End the subscriptions to ``topics``; returns how many there were."""
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(subscriptions).where(
                    subscriptions.c.conversation_id == conversation_id,
                    subscriptions.c.topic.in_(topics),
                )
            )
            self._sync_flag(conn, conversation_id)
        return result.rowcount

    def subscriptions(self, topic: str | None = None) -> list[Subscription]:
        query = select(subscriptions).order_by(
            subscriptions.c.created_at, subscriptions.c.conversation_id, subscriptions.c.topic
        )
        if topic is not None:
            query = query.where(subscriptions.c.topic == topic)
        with self.engine.connect() as conn:
            return [
                Subscription(r.conversation_id, r.topic, as_utc(r.created_at))
                for r in conn.execute(query)
            ]

    def _sync_flag(self, conn, conversation_id: str) -> None:
        """Keep ``conversations.subscribed`` meaning "subscribed to any topic"."""
        any_topic = conn.execute(
            select(func.count())
            .select_from(subscriptions)
            .where(subscriptions.c.conversation_id == conversation_id)
        ).scalar_one()
        conn.execute(
            update(conversations)
            .where(conversations.c.conversation_id == conversation_id)
            .values(subscribed=any_topic > 0, updated_at=self._clock())
        )

    def conversation(self, conversation_id: str) -> ConversationRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(conversations).where(conversations.c.conversation_id == conversation_id)
            ).first()
        return _conversation(row) if row else None

    def conversations(
        self, subscribed_only: bool = False, conversation_type: str | None = None
    ) -> list[ConversationRecord]:
        query = select(conversations).order_by(conversations.c.installed_at)
        if subscribed_only:
            query = query.where(conversations.c.subscribed.is_(True))
        if conversation_type is not None:
            query = query.where(conversations.c.conversation_type == conversation_type)
        with self.engine.connect() as conn:
            return [_conversation(row) for row in conn.execute(query)]

    def conversations_by_id(self, ids: Iterable[str]) -> dict[str, ConversationRecord]:
        """The known conversations among ``ids``, by id, in one query (unknown ones left out)."""
        query = select(conversations).where(conversations.c.conversation_id.in_(set(ids)))
        with self.engine.connect() as conn:
            return {row.conversation_id: _conversation(row) for row in conn.execute(query)}

    # -- feedback, answers, unanswered -----------------------------------------------------

    def record_vote(
        self,
        routine_id: str,
        section: str,
        vote: str,
        conversation_type: str,
        question: str = "",
    ) -> None:
        """A vote; for «Ikke nyttig», also the ``question`` the answer was to (it must already
        be stripped of personal data, see :mod:`bot.pii`), for the maintainers' report."""
        if vote not in VOTES:
            raise ValueError(f"vote must be one of {VOTES}")
        now = self._clock()
        with self.engine.begin() as conn:
            conn.execute(
                insert(feedback).values(
                    routine_id=routine_id,
                    section=section[:200],
                    vote=vote,
                    conversation_type=conversation_type[:32],
                    created_at=now,
                )
            )
            if vote == "down" and question.strip():
                conn.execute(
                    insert(not_useful).values(
                        routine_id=routine_id,
                        section=section[:200],
                        question=question.strip(),
                        created_at=now,
                    )
                )

    def not_useful_questions(self, limit: int = 200) -> list[NotUsefulQuestion]:
        """The questions behind «Ikke nyttig» votes, newest first."""
        query = select(not_useful).order_by(not_useful.c.created_at.desc(), not_useful.c.id.desc())
        with self.engine.connect() as conn:
            return [
                NotUsefulQuestion(r.question, r.routine_id, r.section, as_utc(r.created_at))
                for r in conn.execute(query.limit(limit))
            ]

    def record_answer(self, routine_id: str, section: str, source: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(answers).values(
                    routine_id=routine_id,
                    section=section[:200],
                    source=source[:16],
                    created_at=self._clock(),
                )
            )

    def record_unanswered(
        self,
        question: str,
        closest: tuple[str, ...],
        had_personal_data: bool,
        conversation_type: str,
    ) -> None:
        """``question`` must already be stripped of personal data (see :mod:`bot.pii`)."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(unanswered).values(
                    question=question,
                    closest=join_ids(closest),
                    had_personal_data=had_personal_data,
                    conversation_type=conversation_type[:32],
                    created_at=self._clock(),
                )
            )

    def most_used(self, limit: int = 5) -> list[tuple[str, int]]:
        count = func.count().label("n")
        query = (
            select(answers.c.routine_id, count)
            .group_by(answers.c.routine_id)
            .order_by(count.desc(), answers.c.routine_id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(row.routine_id, row.n) for row in conn.execute(query)]

    def votes(self) -> list[VoteCount]:
        """Votes per routine, the most "Ikke nyttig" first."""
        up = func.sum(case((feedback.c.vote == "up", 1), else_=0)).label("up")
        down = func.sum(case((feedback.c.vote == "down", 1), else_=0)).label("down")
        query = (
            select(feedback.c.routine_id, up, down)
            .group_by(feedback.c.routine_id)
            .order_by(down.desc(), up, feedback.c.routine_id)
        )
        with self.engine.connect() as conn:
            return [VoteCount(r.routine_id, int(r.up), int(r.down)) for r in conn.execute(query)]

    def unanswered(self, limit: int = 200) -> list[UnansweredQuestion]:
        query = select(unanswered).order_by(unanswered.c.created_at.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [
                UnansweredQuestion(
                    question=r.question,
                    closest=split_ids(r.closest),
                    had_personal_data=r.had_personal_data,
                    conversation_type=r.conversation_type,
                    created_at=as_utc(r.created_at),
                )
                for r in conn.execute(query)
            ]


def _conversation(row) -> ConversationRecord:
    return ConversationRecord(
        conversation_id=row.conversation_id,
        channel_id=row.channel_id,
        conversation_type=row.conversation_type,
        service_url=row.service_url,
        reference=json.loads(row.reference),
        tenant_id=row.tenant_id,
        team_id=row.team_id,
        subscribed=bool(row.subscribed),
    )
