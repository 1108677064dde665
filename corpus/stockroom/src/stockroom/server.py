"""A line protocol over TCP: ``ADD item [n]``, ``TAKE item [n]``, ``GET item``."""

import asyncio
from functools import partial

from stockroom.store import OutOfStock


async def serve(store, host="127.0.0.1", port=0, loop=None):
    return await asyncio.start_server(partial(_handle, store), host, port, loop=loop)


async def _handle(store, reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        command, item, *rest = line.decode().split()
        count = int(rest[0]) if rest else 1
        try:
            if command == "ADD":
                reply = await store.add(item, count)
            elif command == "TAKE":
                reply = await store.reserve(item, count)
            else:
                reply = await store.count(item)
        except OutOfStock:
            reply = -1
        writer.write(f"{reply}\n".encode())
        await writer.drain()
    writer.close()


async def request(host, port, line, loop=None):
    reader, writer = await asyncio.open_connection(host, port, loop=loop)
    writer.write(line.encode() + b"\n")
    await writer.drain()
    reply = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return int(reply)
