"""The HTTP side, reduced to what the cache needs."""

import asyncio


class HttpError(Exception):
    def __init__(self, status):
        super().__init__(f"HTTP {status}")
        self.status = status


async def get(url, timeout=10):
    """GET ``url``; the real transport lives elsewhere, tests replace this."""
    await asyncio.sleep(0)
    raise HttpError(599)
