"""Persistent state on SQLite or PostgreSQL, behind the small interfaces the bot owns."""

from adapters.store.alternate_decisions import AlternateDecisions
from adapters.store.engagement import FeedbackStore, WelcomeStore
from adapters.store.engine import StoreError, StoreReachable, StoreUnavailable, create_engine, is_outage, migrate
from adapters.store.instances import Instances
from adapters.store.ledger import RedeliveryLedger, redelivery_key
from adapters.store.question_log import QuestionStore

__all__ = [
    "AlternateDecisions",
    "RedeliveryLedger",
    "FeedbackStore",
    "Instances",
    "QuestionStore",
    "StoreError",
    "StoreReachable",
    "StoreUnavailable",
    "WelcomeStore",
    "create_engine",
    "redelivery_key",
    "is_outage",
    "migrate",
]
