"""An in-memory stand-in for an async database driver's connection pool.

Like asyncpg or aiomysql pools, it belongs to the event loop that opened it: its idle
connections wait in an ``asyncio.Queue`` and writes are serialised by an ``asyncio.Lock``,
and using it from another loop is an error.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Dict, List, Optional


class PoolClosedError(RuntimeError):
    pass


class Connection:
    def __init__(self, number: int, tables: Dict[str, Dict[int, Dict[str, Any]]]) -> None:
        self.number = number
        self._tables = tables
        self.queries = 0

    async def insert(self, table: str, row: Dict[str, Any], ids: "itertools.count[int]") -> int:
        await asyncio.sleep(0)  # a round trip
        self.queries += 1
        key = next(ids)
        self._tables.setdefault(table, {})[key] = {"id": key, **row}
        return key

    async def fetch(self, table: str, key: int) -> Optional[Dict[str, Any]]:
        await asyncio.sleep(0)
        self.queries += 1
        row = self._tables.get(table, {}).get(key)
        return dict(row) if row is not None else None

    async def fetch_all(self, table: str) -> List[Dict[str, Any]]:
        await asyncio.sleep(0)
        self.queries += 1
        return [dict(row) for _, row in sorted(self._tables.get(table, {}).items())]

    async def delete(self, table: str, key: int) -> bool:
        await asyncio.sleep(0)
        self.queries += 1
        return self._tables.get(table, {}).pop(key, None) is not None


class Pool:
    def __init__(self, size: int = 2) -> None:
        self.size = size
        self.tables: Dict[str, Dict[int, Dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._idle: Optional["asyncio.Queue[Connection]"] = None
        self._write_lock: Optional[asyncio.Lock] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    @property
    def loop(self) -> Optional[asyncio.AbstractEventLoop]:
        return self._loop

    async def open(self) -> "Pool":
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        for number in range(self.size):
            self._idle.put_nowait(Connection(number, self.tables))
        self._write_lock = asyncio.Lock()
        return self

    async def close(self) -> None:
        self._check_loop()
        self._idle = None
        self._loop = None

    def _check_loop(self) -> None:
        if self._idle is None:
            raise PoolClosedError("the pool is not open")
        if asyncio.get_running_loop() is not self._loop:
            raise RuntimeError("Pool is attached to a different loop")

    @property
    def idle(self) -> int:
        return self._idle.qsize() if self._idle is not None else 0

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[Connection]:
        self._check_loop()
        assert self._idle is not None
        connection = await self._idle.get()
        try:
            yield connection
        finally:
            self._idle.put_nowait(connection)

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[Connection]:
        """A connection holding the pool's write lock (one writer at a time)."""
        self._check_loop()
        assert self._write_lock is not None
        async with self._write_lock:
            async with self.acquire() as connection:
                yield connection

    async def insert(self, table: str, row: Dict[str, Any]) -> int:
        async with self.writing() as connection:
            return await connection.insert(table, row, self._ids)

    def clear(self) -> None:
        self.tables.clear()
