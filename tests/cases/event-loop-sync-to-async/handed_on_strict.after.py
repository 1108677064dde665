import pytest

from app import Connection, Pool
import asyncio
import pytest_asyncio


@pytest_asyncio.fixture
async def pool():
    """A pool bound to the loop the tests run in."""
    event_loop = asyncio.get_running_loop()
    pool = Pool(size=2, loop=event_loop)
    pool.owner.loop = event_loop
    yield pool
    await pool.close()


@pytest_asyncio.fixture
async def watchdog(pool):
    event_loop = asyncio.get_running_loop()
    task = event_loop.create_task(pool.watch())
    event_loop.call_later(5, task.cancel)
    yield task
    task.cancel()


@pytest.mark.asyncio
async def test_acquire(pool, watchdog):
    async with pool.acquire() as connection:
        assert isinstance(connection, Connection)
