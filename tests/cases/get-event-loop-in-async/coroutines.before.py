import asyncio
import asyncio as aio
from asyncio import get_event_loop

import pytest

from app import fetch, work


@pytest.mark.asyncio
async def test_executor():
    loop = asyncio.get_event_loop()
    await loop.run_in_executor(None, work)
    assert aio.get_event_loop().is_running()


async def helper():
    return get_event_loop().time()


class Client:
    async def connect(self):
        self.loop = asyncio.get_event_loop()
        return [asyncio.get_event_loop() for _ in range(2)]
