"""pondpool: an asyncio connection pool and a line-protocol key-value server."""

from pondpool.pool import Connection, ConnectionPool, PoolClosedError, WrongLoopError
from pondpool.server import request, start_server

__all__ = [
    "Connection",
    "ConnectionPool",
    "PoolClosedError",
    "WrongLoopError",
    "request",
    "start_server",
]
