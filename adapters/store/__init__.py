"""Persistent state on SQLite or PostgreSQL, behind the small interfaces the bot owns."""

from adapters.store.engine import StoreError, StoreReachable, create_engine, migrate
from adapters.store.ledger import DeliveryLedger, delivery_key

__all__ = ["DeliveryLedger", "StoreError", "StoreReachable", "create_engine", "delivery_key", "migrate"]
