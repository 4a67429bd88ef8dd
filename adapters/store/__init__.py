"""Persistent state on SQLite or PostgreSQL, behind the small interfaces the bot owns."""

from adapters.store.alternate_decisions import AlternateDecisions
from adapters.store.engagement import FeedbackStore, WelcomeStore
from adapters.store.engine import StoreError, StoreReachable, StoreUnavailable, create_engine, is_outage, migrate
from adapters.store.instances import Instances
from adapters.store.ledger import DeliveryLedger, delivery_key
from adapters.store.question_log import QuestionStore

__all__ = [
    "AlternateDecisions",
    "DeliveryLedger",
    "FeedbackStore",
    "Instances",
    "QuestionStore",
    "StoreError",
    "StoreReachable",
    "StoreUnavailable",
    "WelcomeStore",
    "create_engine",
    "delivery_key",
    "is_outage",
    "migrate",
]
