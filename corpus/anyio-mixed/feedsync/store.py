"""Where fetched feed entries are kept (the real one writes to SQLite through a thread)."""

from __future__ import annotations

import anyio


class FeedStore:
    def __init__(self) -> None:
        self.entries: dict[str, list[str]] = {}
        self.opened = False
        self._lock = anyio.Lock()

    async def open(self) -> None:
        await anyio.sleep(0)
        self.opened = True

    async def close(self) -> None:
        await anyio.sleep(0)
        self.opened = False

    async def save(self, feed: str, items: list[str]) -> None:
        if not self.opened:
            raise RuntimeError("store is closed")
        async with self._lock:
            await anyio.sleep(0)
            self.entries[feed] = items
