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
