"""An in-memory stock store with the open/close life cycle of a real database client."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass


class StoreClosedError(RuntimeError):
    pass


@dataclass
class Item:
    sku: str
    name: str
    quantity: int

    def as_dict(self) -> dict[str, object]:
        return {"sku": self.sku, "name": self.name, "quantity": self.quantity}


class InventoryStore:
    def __init__(self) -> None:
        self._items: dict[str, Item] = {}
        self._lock: asyncio.Lock | None = None
        self.is_open = False

    async def open(self) -> None:
        # A real client would connect here; the lock belongs to the loop that opened it.
        self._lock = asyncio.Lock()
        self.is_open = True

    async def close(self) -> None:
        self.is_open = False
        self._items.clear()

    def _check(self) -> asyncio.Lock:
        if not self.is_open or self._lock is None:
            raise StoreClosedError("the store is not open")
        return self._lock

    async def put(self, sku: str, name: str, quantity: int) -> Item:
        async with self._check():
            item = Item(sku, name, quantity)
            self._items[sku] = item
            return item

    async def get(self, sku: str) -> Item | None:
        self._check()
        return self._items.get(sku)

    async def adjust(self, sku: str, delta: int) -> Item:
        async with self._check():
            item = self._items[sku]
            if item.quantity + delta < 0:
                raise ValueError(f"only {item.quantity} of {sku} in stock")
            item.quantity += delta
            return item

    async def all(self) -> list[Item]:
        self._check()
        return sorted(self._items.values(), key=lambda i: i.sku)
