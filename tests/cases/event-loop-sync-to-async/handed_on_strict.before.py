import pytest

from app import Connection, Pool


@pytest.fixture
def pool(event_loop):
    """A pool bound to the loop the tests run in."""
    pool = Pool(size=2, loop=event_loop)
    pool.owner.loop = event_loop
    yield pool
    event_loop.run_until_complete(pool.close())


@pytest.fixture
def watchdog(event_loop, pool):
    task = event_loop.create_task(pool.watch())
    event_loop.call_later(5, task.cancel)
    yield task
    task.cancel()


@pytest.mark.asyncio
async def test_acquire(pool, watchdog):
    async with pool.acquire() as connection:
        assert isinstance(connection, Connection)
