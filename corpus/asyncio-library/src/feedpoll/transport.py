"""The network side: one HTTP GET over a raw asyncio stream (no dependency)."""

import asyncio
from urllib.parse import urlsplit


async def fetch(url: str, timeout: float = 10.0) -> bytes:
    """The body of ``url``; raises ``ConnectionError`` on a non-200 answer."""
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port or 80
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        path = parts.path or "/"
        writer.write(f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1] if b" " in head else b""
    if status != b"200":
        raise ConnectionError(f"{url}: HTTP {status.decode() or '?'}")
    return body
