import pytest


@pytest.mark.asyncio
async def test_task(event_loop):
    task = event_loop.create_task(job())
    assert await task == 1


async def job():
    return 1
