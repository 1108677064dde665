"""Restock alerts: subscribers get the SKUs that fell below their threshold."""

from __future__ import annotations

import asyncio

from inventory.store import Store


class AlertBus:
    def __init__(self, store: Store, threshold: int) -> None:
        self.store = store
        self.threshold = threshold
        self.queue: asyncio.Queue[str] = asyncio.Queue()

    async def check(self, sku: str) -> bool:
        item = await self.store.get(sku)
        if item is not None and item.quantity < self.threshold:
            await self.queue.put(sku)
            return True
        return False

    async def next_alert(self, timeout: float = 1.0) -> str:
        return await asyncio.wait_for(self.queue.get(), timeout)
