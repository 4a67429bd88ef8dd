"""Engagement: who has been welcomed, and feedback votes on answers (pseudonymous keys only).

Revision ID: 0003_engagement
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_engagement"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "welcomes",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "feedback_votes",
        sa.Column("voter", sa.String(64), primary_key=True),
        sa.Column("entry_id", sa.String(200), primary_key=True),
        sa.Column("vote", sa.String(8), nullable=False),
        sa.Column("missing", sa.Text(), nullable=True),
        sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("feedback_votes")
    op.drop_table("welcomes")
