"""Delivery claims remember the process running their turn until the turn finishes.

Revision ID: 0005_delivery_owner
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_delivery_owner"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing claims get NULL: their turns are long over.
    with op.batch_alter_table("delivered_activities") as batch:
        batch.add_column(sa.Column("owner", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivered_activities") as batch:
        batch.drop_column("owner")
