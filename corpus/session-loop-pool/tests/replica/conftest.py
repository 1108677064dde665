import asyncio

import pytest
import pytest_asyncio

from pondpool import ConnectionPool


@pytest.fixture(scope="module")
def event_loop():
    """Replica tests get a loop per module: each module starts from a fresh replica."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest_asyncio.fixture(scope="module")
async def replica():
    replica = await ConnectionPool(size=1).open()
    yield replica
    await replica.close()


@pytest_asyncio.fixture
async def replica_connection(replica):
    async with replica.acquire() as connection:
        yield connection
