"""A fixed-size pool of (in-memory) connections, bound to the loop that opened it.

Like real database drivers, a pool belongs to the event loop it was opened in: its
queue, lock and connections cannot be used from another loop. Using it from one raises
WrongLoopError instead of hanging or corrupting state.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator, Dict, Optional


class PoolClosedError(RuntimeError):
    pass


class WrongLoopError(RuntimeError):
    pass


class Connection:
    def __init__(self, pool: "ConnectionPool", number: int) -> None:
        self.pool = pool
        self.number = number
        self.queries = 0

    async def execute(self, command: str, *args: str) -> Optional[str]:
        self.pool.check_loop()
        await asyncio.sleep(0)  # a round trip to the "server"
        self.queries += 1
        store = self.pool.store
        if command == "SET":
            key, value = args
            store[key] = value
            return "OK"
        if command == "GET":
            return store.get(args[0])
        if command == "DEL":
            return "1" if store.pop(args[0], None) is not None else "0"
        raise ValueError(f"unknown command {command!r}")


class ConnectionPool:
    def __init__(self, size: int = 2) -> None:
        self.size = size
        self.store: Dict[str, str] = {}
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self._idle: Optional["asyncio.Queue[Connection]"] = None
        self._lock: Optional[asyncio.Lock] = None
        self._closed = False
        self.acquired = 0

    async def open(self) -> "ConnectionPool":
        self.loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        self._lock = asyncio.Lock()
        for number in range(self.size):
            self._idle.put_nowait(Connection(self, number))
        return self

    def check_loop(self) -> None:
        if self._closed or self.loop is None:
            raise PoolClosedError("the pool is not open")
        if asyncio.get_running_loop() is not self.loop:
            raise WrongLoopError("the pool was opened in another event loop")

    @contextlib.asynccontextmanager
    async def acquire(self) -> AsyncIterator[Connection]:
        self.check_loop()
        assert self._idle is not None
        connection = await asyncio.wait_for(self._idle.get(), timeout=5)
        self.acquired += 1
        try:
            yield connection
        finally:
            self._idle.put_nowait(connection)

    async def stats(self) -> Dict[str, int]:
        self.check_loop()
        assert self._lock is not None and self._idle is not None
        async with self._lock:
            return {"size": self.size, "idle": self._idle.qsize(), "acquired": self.acquired}

    async def close(self) -> None:
        self.check_loop()
        assert self._idle is not None
        while self._idle.qsize() < self.size:
            await asyncio.sleep(0.01)
        self._closed = True
