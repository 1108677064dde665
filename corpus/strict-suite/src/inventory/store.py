"""An in-memory stock store with the awaitable interface of the database-backed one."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass


class OutOfStock(Exception):
    pass


@dataclass
class Item:
    sku: str
    name: str
    quantity: int
    price_cents: int


class Store:
    def __init__(self) -> None:
        self._items: dict[str, Item] = {}
        self._lock = asyncio.Lock()
        self.connected = False

    async def connect(self) -> None:
        await asyncio.sleep(0)  # the real store opens a connection pool here
        self.connected = True

    async def close(self) -> None:
        await asyncio.sleep(0)
        self.connected = False

    async def add(self, item: Item) -> None:
        async with self._lock:
            await asyncio.sleep(0)
            self._items[item.sku] = item

    async def get(self, sku: str) -> Item | None:
        await asyncio.sleep(0)
        return self._items.get(sku)

    async def take(self, sku: str, quantity: int) -> Item:
        async with self._lock:
            item = self._items.get(sku)
            if item is None or item.quantity < quantity:
                raise OutOfStock(sku)
            await asyncio.sleep(0)
            item.quantity -= quantity
            return item

    async def value_cents(self) -> int:
        await asyncio.sleep(0)
        return sum(i.quantity * i.price_cents for i in self._items.values())

    async def count(self) -> int:
        await asyncio.sleep(0)
        return len(self._items)
