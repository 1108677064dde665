"""The inventory: counts per item, guarded by a lock, every change published on a feed."""

import asyncio


class OutOfStock(Exception):
    pass


class Store:
    def __init__(self, loop=None):
        # Written for Python 3.6-3.9, when asyncio primitives took the loop explicitly.
        self._loop = loop
        self._counts = {}
        self._lock = None
        self.feed = None
        self.closed = False

    async def open(self):
        if self._loop is None:
            self._loop = asyncio.get_event_loop()
        self._lock = asyncio.Lock(loop=self._loop)
        self.feed = asyncio.Queue(loop=self._loop)
        return self

    async def add(self, item, count=1):
        async with self._lock:
            await asyncio.sleep(0, loop=self._loop)
            self._counts[item] = self._counts.get(item, 0) + count
            await self.feed.put((item, self._counts[item]))
            return self._counts[item]

    async def reserve(self, item, count=1):
        async with self._lock:
            have = self._counts.get(item, 0)
            if have < count:
                raise OutOfStock(item)
            self._counts[item] = have - count
            await self.feed.put((item, self._counts[item]))
            return self._counts[item]

    async def count(self, item):
        await asyncio.sleep(0, loop=self._loop)
        return self._counts.get(item, 0)

    async def close(self):
        self.closed = True
