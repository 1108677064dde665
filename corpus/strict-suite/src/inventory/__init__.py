"""A small asynchronous inventory service: a store, a read-through cache, restock alerts."""

from inventory.alerts import AlertBus
from inventory.cache import TTLCache
from inventory.store import Item, OutOfStock, Store

__all__ = ["AlertBus", "Item", "OutOfStock", "Store", "TTLCache"]
