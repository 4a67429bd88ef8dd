"""Tickets remember since when their post to the HR helpdesk has been failing.

Revision ID: 0006_hr_post_failing
Revises: 0002_tickets
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_hr_post_failing"
down_revision = "0002_tickets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("hr_post_failing_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("hr_post_failing_since")
