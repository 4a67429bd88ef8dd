"""Analytics: questions recorded without identity, and curators' decisions on suggested alternates.

Revision ID: 0004_analytics
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_analytics"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asked_questions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("entry_id", sa.String(200), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("resolved_entry_id", sa.String(200), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("escalated", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "alternate_decisions",
        sa.Column("question", sa.String(1000), primary_key=True),
        sa.Column("entry_id", sa.String(200), primary_key=True),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("alternate_decisions")
    op.drop_table("asked_questions")
