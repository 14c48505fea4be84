"""Initial schema: conversations, feedback, unanswered questions, answers.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("conversation_id", sa.String(512), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("conversation_type", sa.String(32), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=True),
        sa.Column("team_id", sa.String(512), nullable=True),
        sa.Column("service_url", sa.String(512), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("subscribed", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_conversations"),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("routine_id", sa.String(100), nullable=False),
        sa.Column("section", sa.String(200), nullable=False),
        sa.Column("vote", sa.String(8), nullable=False),
        sa.Column("conversation_type", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("vote IN ('up', 'down')", name="ck_feedback_vote"),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
    )
    op.create_index("ix_feedback_routine_id", "feedback", ["routine_id"])
    op.create_table(
        "unanswered",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("closest", sa.String(400), nullable=False),
        sa.Column("had_personal_data", sa.Boolean(), nullable=False),
        sa.Column("conversation_type", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unanswered"),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("routine_id", sa.String(100), nullable=False),
        sa.Column("section", sa.String(200), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
    )
    op.create_index("ix_answers_routine_id", "answers", ["routine_id"])


def downgrade() -> None:
    op.drop_index("ix_answers_routine_id", table_name="answers")
    op.drop_table("answers")
    op.drop_table("unanswered")
    op.drop_index("ix_feedback_routine_id", table_name="feedback")
    op.drop_table("feedback")
    op.drop_table("conversations")
