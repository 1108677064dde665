"""A read-through cache in front of the store, with a time-to-live per entry."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[str, tuple[float, V]] = {}
        self.misses = 0

    async def get_or_load(self, key: str, load: Callable[[str], Awaitable[V]]) -> V:
        entry = self._entries.get(key)
        now = self.clock()
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        self.misses += 1
        value = await load(key)
        self._entries[key] = (now, value)
        return value

    def invalidate(self, key: str) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
