"""The database schema as SQLAlchemy Core tables (portable: SQLite and PostgreSQL).

The migrations in ``migrations/versions`` create and change these tables; a test checks that
the migrated database matches this metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    }
)

# Where the bot is installed: what it needs to post there later (proactive messages).
conversations = Table(
    "conversations",
    metadata,
    Column("conversation_id", String(512), primary_key=True),
    Column("channel_id", String(64), nullable=False),
    Column("conversation_type", String(32), nullable=False),
    Column("tenant_id", String(64)),
    Column("team_id", String(512)),
    Column("service_url", String(512), nullable=False),
    Column("reference", Text, nullable=False),  # the Bot Framework ConversationReference, JSON
    Column("subscribed", Boolean, nullable=False, default=False),
    Column("installed_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# "Nyttig" / "Ikke nyttig" on an answer.
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("routine_id", String(100), nullable=False),
    Column("section", String(200), nullable=False, default=""),
    Column("vote", String(8), nullable=False),
    Column("conversation_type", String(32), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("vote IN ('up', 'down')", name="vote"),
    Index("ix_feedback_routine_id", "routine_id"),
)

# Questions the handbook had no confident answer to, with personal data removed.
unanswered = Table(
    "unanswered",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question", Text, nullable=False),
    Column("closest", String(400), nullable=False, default=""),  # routine ids, comma-separated
    Column("had_personal_data", Boolean, nullable=False, default=False),
    Column("conversation_type", String(32), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Each routine shown as an answer (chat or compose box): "most used" for the empty search.
answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("routine_id", String(100), nullable=False),
    Column("section", String(200), nullable=False, default=""),
    Column("source", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_answers_routine_id", "routine_id"),
)

# Which conversation gets what: one row per (conversation, topic). A table rather than a flag per
# topic on ``conversations``: a new topic is a new value, not a migration, and the planner reads
# "every conversation subscribed to X" with one indexed query. ``conversations.subscribed`` stays
# as "subscribed to anything" for the code that already reads it.
TOPICS = ("fredagsprat", "frister")
subscriptions = Table(
    "subscriptions",
    metadata,
    Column(
        "conversation_id",
        String(512),
        ForeignKey("conversations.conversation_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("topic", String(32), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("topic IN ('fredagsprat', 'frister')", name="topic"),
    Index("ix_subscriptions_topic", "topic"),
)

# The durable outbox: every planned delivery, one row per (kind, item, occurrence, conversation),
# which ``dedupe_key`` spells out and keeps unique. A worker claims a due row by setting
# ``status='sending'``, ``claimed_by`` and a ``lease_until``; a lease that runs out (the worker
# died) makes the row claimable again. All times are UTC.
OUTBOX_STATUSES = ("planned", "sending", "sent", "failed", "expired", "cancelled")
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dedupe_key", String(1024), nullable=False),
    Column("conversation_id", String(512), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("item_id", String(200), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True)),  # not sent after this (None: only the grace)
    Column("payload", Text, nullable=False),  # JSON
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("claimed_by", String(128)),
    Column("lease_until", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    CheckConstraint(
        "status IN ('planned', 'sending', 'sent', 'failed', 'expired', 'cancelled')",
        name="status",
    ),
    Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    Index("ix_outbox_conversation_id", "conversation_id"),
)
