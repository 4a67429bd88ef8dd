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
    # The process running the turn (adapters/store/instances.py); NULL once the turn finished.
    sa.Column("owner", sa.String(20), nullable=True),
)

# --- Helpdesk tickets (migration 0002_tickets) ---

hr_channel = sa.Table(
    "hr_channel",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("channel_id", sa.String(300), nullable=False),
    sa.Column("team_id", sa.String(300), nullable=True),
    sa.Column("service_url", sa.String(500), nullable=True),
    sa.Column("registered_by_aad_id", sa.String(100), nullable=True),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
)

tickets = sa.Table(
    "tickets",
    metadata,
    sa.Column("number", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
    sa.Column("token", sa.String(64), nullable=False),
    sa.Column("requester_user_id", sa.String(300), nullable=False, index=True),
    sa.Column("requester_aad_id", sa.String(100), nullable=True, index=True),
    sa.Column("requester_name", sa.String(300), nullable=True),
    sa.Column("anonymous", sa.Boolean, nullable=False),
    sa.Column("requester_reference", sa.JSON, nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("best_guess_entry", sa.String(200), nullable=True),
    sa.Column("best_guess_question", sa.Text, nullable=True),
    sa.Column("best_guess_confidence", sa.Float, nullable=True),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("assignee", sa.String(300), nullable=True),
    sa.Column("hr_reply", sa.Text, nullable=True),
    sa.Column("suggested_as_faq", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("hr_reference", sa.JSON, nullable=True),
    sa.Column("hr_activity_id", sa.String(300), nullable=True),
    # Set when the card could not be posted to the HR helpdesk (staff are told once); the post is retried.
    sa.Column("hr_post_failing_since", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

ticket_events = sa.Table(
    "ticket_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "ticket_number", sa.Integer, sa.ForeignKey("tickets.number", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("actor_name", sa.String(300), nullable=True),
    sa.Column("actor_aad_id", sa.String(100), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
)

ticket_outbox = sa.Table(
    "ticket_outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "ticket_number", sa.Integer, sa.ForeignKey("tickets.number", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True, index=True),
    sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error", sa.String(100), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

faq_drafts = sa.Table(
    "faq_drafts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "ticket_number", sa.Integer, sa.ForeignKey("tickets.number", ondelete="CASCADE"), nullable=False, unique=True
    ),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("suggested_by_name", sa.String(300), nullable=False),
    sa.Column("suggested_by_aad_id", sa.String(100), nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Pseudonymous keys only (adapters/store/pseudonym.py): never an AAD id, user id or name.
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
