"""Persistent state on SQLite or PostgreSQL, behind the small interfaces the bot owns."""

from adapters.store.alternate_decisions import AlternateDecisions
from adapters.store.engine import StoreError, create_engine, migrate
from adapters.store.ledger import DeliveryLedger, delivery_key
from adapters.store.question_log import QuestionStore

__all__ = [
    "AlternateDecisions",
    "DeliveryLedger",
    "QuestionStore",
    "StoreError",
    "create_engine",
    "delivery_key",
    "migrate",
]
