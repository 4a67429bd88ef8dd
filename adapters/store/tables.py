"""The tables the application reads and writes, as SQLAlchemy Core objects.

Their shape is created by the migrations; keep the two in step (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

delivered_activities = sa.Table(
    "delivered_activities",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, index=True),
)

# Pseudonymous keys only (adapters/pseudonym.py): never an AAD id, user id or name.
welcomes = sa.Table(
    "welcomes",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=False),
)

feedback_votes = sa.Table(
    "feedback_votes",
    metadata,
    sa.Column("voter", sa.String(64), primary_key=True),
    sa.Column("entry_id", sa.String(200), primary_key=True),
    sa.Column("vote", sa.String(8), nullable=False),
    sa.Column("missing", sa.Text(), nullable=True),
    sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False, index=True),
)
