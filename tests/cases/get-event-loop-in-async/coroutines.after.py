import asyncio
import asyncio as aio

import pytest

from app import fetch, work


@pytest.mark.asyncio
async def test_executor():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, work)
    assert aio.get_running_loop().is_running()


async def helper():
    return asyncio.get_running_loop().time()


class Client:
    async def connect(self):
        self.loop = asyncio.get_running_loop()
        return [asyncio.get_running_loop() for _ in range(2)]
