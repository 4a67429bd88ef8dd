"""Helpdesk tickets: tickets, their history, the HR channel, the outbox and FAQ drafts.

Revision ID: 0002_tickets
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_tickets"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hr_channel",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("channel_id", sa.String(300), nullable=False),
        sa.Column("team_id", sa.String(300), nullable=True),
        sa.Column("service_url", sa.String(500), nullable=True),
        sa.Column("registered_by_aad_id", sa.String(100), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "tickets",
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ticket_events",
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
    op.create_table(
        "ticket_outbox",
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
    op.create_table(
        "faq_drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "ticket_number",
            sa.Integer,
            sa.ForeignKey("tickets.number", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("suggested_by_name", sa.String(300), nullable=False),
        sa.Column("suggested_by_aad_id", sa.String(100), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("faq_drafts", "ticket_outbox", "ticket_events", "tickets", "hr_channel"):
        op.drop_table(table)
