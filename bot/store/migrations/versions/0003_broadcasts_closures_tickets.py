"""Broadcasts and RSVPs, closures ("Markér som evaluert/gjennomgått"), topic proposals,
designated conversations, expert tickets, and the activity id of a sent outbox row.

Only new tables and one new nullable column: existing rows are untouched.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _created() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("activity_id", sa.String(256), nullable=True))
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(200), nullable=False),
        sa.Column("sent_by", sa.String(128), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("report_conversation_id", sa.String(512), nullable=True),
        sa.Column("report_activity_id", sa.String(256), nullable=True),
        *_created(),
        sa.PrimaryKeyConstraint("id", name="pk_broadcasts"),
    )
    op.create_index("ix_broadcasts_session_id", "broadcasts", ["session_id"])
    op.create_table(
        "rsvps",
        sa.Column("session_id", sa.String(200), nullable=False),
        sa.Column("user_id", sa.String(128), nullable=False),
        sa.Column("answer", sa.String(8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("answer IN ('yes', 'no')", name="ck_rsvps_answer"),
        sa.PrimaryKeyConstraint("session_id", "user_id", name="pk_rsvps"),
    )
    op.create_table(
        "closures",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("item_id", sa.String(200), nullable=False),
        sa.Column("occurrence", sa.String(32), nullable=False),
        sa.Column("closed_by", sa.String(128), nullable=False),
        sa.Column("closed_by_name", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('deadline', 'recurring', 'review')", name="ck_closures_kind"),
        sa.PrimaryKeyConstraint("kind", "item_id", "occurrence", name="pk_closures"),
    )
    op.create_table(
        "topic_proposals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("proposed_by", sa.String(128), nullable=False),
        sa.Column("conversation_id", sa.String(512), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_topic_proposals"),
    )
    op.create_table(
        "designated_conversations",
        sa.Column("purpose", sa.String(200), nullable=False),
        sa.Column("conversation_id", sa.String(512), nullable=False),
        sa.Column("set_by", sa.String(128), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("purpose", name="pk_designated_conversations"),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("closest", sa.String(400), nullable=False),
        sa.Column("asker_id", sa.String(128), nullable=False),
        sa.Column("asker_conversation_id", sa.String(512), nullable=False),
        sa.Column("asker_activity_id", sa.String(256), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("taken_by", sa.String(128), nullable=True),
        sa.Column("taken_by_name", sa.String(200), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("for_handbook", sa.Boolean(), nullable=False),
        sa.Column("expert_conversation_id", sa.String(512), nullable=True),
        sa.Column("card_activity_id", sa.String(256), nullable=True),
        *_created(),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'taken', 'answered')", name="ck_tickets_status"),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
    )
    op.create_index("ix_tickets_status", "tickets", ["status"])


def downgrade() -> None:
    op.drop_index("ix_tickets_status", table_name="tickets")
    op.drop_table("tickets")
    op.drop_table("designated_conversations")
    op.drop_table("topic_proposals")
    op.drop_table("closures")
    op.drop_table("rsvps")
    op.drop_index("ix_broadcasts_session_id", table_name="broadcasts")
    op.drop_table("broadcasts")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("activity_id")
