import pytest
import asyncio


@pytest.mark.asyncio
async def test_task():
    task = asyncio.get_running_loop().create_task(job())
    assert await task == 1


async def job():
    return 1
