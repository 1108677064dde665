import asyncio
import asyncio as aio
from asyncio import run

import pytest

from app import fetch, reset, status


@pytest.mark.asyncio
async def test_fetch():
    loop = asyncio.get_event_loop()
    result = loop.run_until_complete(fetch())
    asyncio.run(reset())
    run(reset())
    assert aio.run(status()).code == 200
    assert asyncio.get_running_loop().run_until_complete(fetch()) == result


@pytest.fixture
async def cleaned():
    yield
    asyncio.run(reset())


@pytest.mark.asyncio
async def test_with_fixture_loop(event_loop):
    return event_loop.run_until_complete(fetch())
