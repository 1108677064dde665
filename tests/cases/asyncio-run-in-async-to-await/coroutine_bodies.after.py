import asyncio
import asyncio as aio

import pytest

from app import fetch, reset, status


@pytest.mark.asyncio
async def test_fetch():
    loop = asyncio.get_event_loop()
    result = await fetch()
    await reset()
    await reset()
    assert (await status()).code == 200
    assert await fetch() == result


@pytest.fixture
async def cleaned():
    yield
    await reset()


@pytest.mark.asyncio
async def test_with_fixture_loop(event_loop):
    return await fetch()
