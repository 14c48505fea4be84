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


def join_ids(ids: tuple[str, ...]) -> str:
    """Routine ids for a ``closest`` column: comma-separated, cut to its 400 characters."""
    return ",".join(ids)[:400]


def split_ids(text: str) -> tuple[str, ...]:
    """A ``closest`` column's routine ids (see :func:`join_ids`)."""
    return tuple(x for x in text.split(",") if x)


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

# The question behind an «Ikke nyttig» vote (personal data removed): what the answer missed.
not_useful = Table(
    "not_useful",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("routine_id", String(100), nullable=False),
    Column("section", String(200), nullable=False),
    Column("question", Text, nullable=False),
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
    Column("activity_id", String(256)),  # what Teams answered: the card can be updated later
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

# --- 0003: broadcasts and RSVPs, closures, topic proposals, designated conversations, tickets ---

# A leader's ``inviter``: one row per broadcast; its deliveries are outbox rows with
# ``item_id = "broadcast:<id>"``. The report card the leader got is updated in place, so its
# conversation and activity id are kept.
broadcasts = Table(
    "broadcasts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(200), nullable=False),
    Column("sent_by", String(128), nullable=False),  # Azure AD object id of the leader
    Column("note", Text, nullable=False, default=""),
    Column("report_conversation_id", String(512)),
    Column("report_activity_id", String(256)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_broadcasts_session_id", "session_id"),
)

# "Jeg kommer" / "Kan ikke": the latest answer per person and session (pressing again changes it).
RSVP_ANSWERS = ("yes", "no")
rsvps = Table(
    "rsvps",
    metadata,
    Column("session_id", String(200), primary_key=True),
    Column("user_id", String(128), primary_key=True),  # Azure AD object id
    Column("answer", String(8), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("answer IN ('yes', 'no')", name="answer"),
)

# "Markér som evaluert" (a deadline or a recurring item's occurrence) and "Markér som gjennomgått"
# (a routine's review): who closed what, when, with a short note. The planner reads these before
# planning, so a closed item gets no more reminders.
CLOSURE_KINDS = ("deadline", "recurring", "review")
closures = Table(
    "closures",
    metadata,
    Column("kind", String(32), primary_key=True),
    Column("item_id", String(200), primary_key=True),
    Column("occurrence", String(32), primary_key=True),  # ISO date of the deadline / review_by
    Column("closed_by", String(128), nullable=False),  # Azure AD object id
    Column("closed_by_name", String(200), nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("closed_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind IN ('deadline', 'recurring', 'review')", name="kind"),
)

# ``foreslå tema <tekst>``.
topic_proposals = Table(
    "topic_proposals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", Text, nullable=False),
    Column("proposed_by", String(128), nullable=False),
    Column("conversation_id", String(512), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Conversations chosen for a purpose by a command written there: ``ekspertkanal`` (expert
# tickets), the organisers' conversation (topic proposals), a routine owner role's conversation
# (``eier:<role>``, review reminders and the monthly digest).
designated_conversations = Table(
    "designated_conversations",
    metadata,
    Column("purpose", String(200), primary_key=True),
    Column("conversation_id", String(512), nullable=False),
    Column("set_by", String(128), nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
)

# "Spør en fagperson": a question passed on to the experts, and its answer.
TICKET_STATUSES = ("open", "taken", "answered")
tickets = Table(
    "tickets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question", Text, nullable=False),  # personal data already removed
    Column("closest", String(400), nullable=False, default=""),  # routine ids, comma-separated
    Column("asker_id", String(128), nullable=False),
    Column("asker_conversation_id", String(512), nullable=False),
    Column("asker_activity_id", String(256)),  # reply in the asker's thread where there is one
    Column("status", String(16), nullable=False),
    Column("taken_by", String(128)),
    Column("taken_by_name", String(200)),
    Column("answer", Text),
    Column("for_handbook", Boolean, nullable=False, default=False),  # "bør inn i håndboka"
    Column("expert_conversation_id", String(512)),
    Column("card_activity_id", String(256)),  # the ticket card in the expert conversation
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("answered_at", DateTime(timezone=True)),
    CheckConstraint("status IN ('open', 'taken', 'answered')", name="status"),
    Index("ix_tickets_status", "status"),
)
