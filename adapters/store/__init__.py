"""Persistent state on SQLite or PostgreSQL, behind the small interfaces the bot owns."""

from adapters.store.engagement import FeedbackStore, WelcomeStore
from adapters.store.engine import StoreError, StoreReachable, create_engine, migrate
from adapters.store.ledger import DeliveryLedger, delivery_key

__all__ = [
    "DeliveryLedger",
    "FeedbackStore",
    "StoreError",
    "StoreReachable",
    "WelcomeStore",
    "create_engine",
    "delivery_key",
    "migrate",
]
