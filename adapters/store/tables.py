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

# Questions the bot handled, without identity (bot.questions); `asked_at` is indexed for purging.
asked_questions = sa.Table(
    "asked_questions",
    metadata,
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

# Suggested alternates a curator accepted or dismissed: never proposed again.
alternate_decisions = sa.Table(
    "alternate_decisions",
    metadata,
    sa.Column("question", sa.String(1000), primary_key=True),
    sa.Column("entry_id", sa.String(200), primary_key=True),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
)
