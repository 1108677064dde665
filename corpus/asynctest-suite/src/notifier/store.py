"""Subscribers per topic, kept the way a database-backed repository would hand them out."""

import asyncio


class SubscriberStore:
    def __init__(self, rows=None):
        self._rows = dict(rows or {})
        self.queries = 0

    async def load(self, topic):
        """The raw rows for ``topic``: (address, active) pairs."""
        self.queries += 1
        await asyncio.sleep(0)
        return list(self._rows.get(topic, ()))

    async def subscribers(self, topic):
        rows = await self.load(topic)
        return sorted(address for address, active in rows if active)
