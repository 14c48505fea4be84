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
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
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
