"""A line-protocol key-value server (PING, SET k v, GET k, DEL k) backed by a pool."""

from __future__ import annotations

import asyncio
from typing import List, Tuple

from pondpool.pool import ConnectionPool


async def start_server(
    pool: ConnectionPool, host: str = "127.0.0.1", port: int = 0
) -> asyncio.AbstractServer:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                command, *args = line.decode().split()
                if command == "PING":
                    reply = "PONG"
                else:
                    async with pool.acquire() as connection:
                        result = await connection.execute(command.upper(), *args)
                    reply = "NIL" if result is None else result
                writer.write(reply.encode() + b"\n")
                await writer.drain()
        finally:
            writer.close()

    return await asyncio.start_server(handle, host, port)


async def request(address: Tuple[str, int], *lines: str, timeout: float = 2) -> List[str]:
    """Send ``lines`` to the server at ``address``; return its replies."""

    async def exchange() -> List[str]:
        reader, writer = await asyncio.open_connection(*address)
        replies = []
        try:
            for line in lines:
                writer.write(line.encode() + b"\n")
                await writer.drain()
                replies.append((await reader.readline()).decode().strip())
        finally:
            writer.close()
            await writer.wait_closed()
        return replies

    return await asyncio.wait_for(exchange(), timeout)
