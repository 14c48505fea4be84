"""The question behind each «Ikke nyttig» vote, so ``python -m bot report`` can propose it as an
example question for the routine it belongs to (issue 15).

Only a new table: existing rows are untouched.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "not_useful",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("routine_id", sa.String(100), nullable=False),
        sa.Column("section", sa.String(200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_not_useful"),
    )


def downgrade() -> None:
    op.drop_table("not_useful")
