"""Persistent state on SQLite or PostgreSQL, behind the small interfaces the bot owns."""

from adapters.store.alternate_decisions import AlternateDecisions
from adapters.store.engagement import FeedbackStore, WelcomeStore
from adapters.store.engine import StoreError, StoreReachable, create_engine, migrate
from adapters.store.ledger import DeliveryLedger, delivery_key
from adapters.store.question_log import QuestionStore

__all__ = [
    "AlternateDecisions",
    "DeliveryLedger",
    "FeedbackStore",
    "QuestionStore",
    "StoreError",
    "StoreReachable",
    "WelcomeStore",
    "create_engine",
    "delivery_key",
    "migrate",
]
