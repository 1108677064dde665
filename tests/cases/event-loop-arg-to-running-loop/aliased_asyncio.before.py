import asyncio as aio

import pytest


@pytest.mark.asyncio
async def test_time(event_loop):
    start = event_loop.time()
    await aio.sleep(0)
    assert event_loop.time() >= start
