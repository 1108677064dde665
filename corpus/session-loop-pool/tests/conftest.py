import asyncio

import pytest
import pytest_asyncio

from pondpool import ConnectionPool, start_server


@pytest.fixture(scope="session")
def event_loop():
    """One loop for the whole run: the pool and the server live as long as the session."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest_asyncio.fixture(scope="session")
async def pool():
    pool = await ConnectionPool(size=3).open()
    yield pool
    await pool.close()


@pytest_asyncio.fixture(scope="session")
async def server(pool):
    server = await start_server(pool, host="127.0.0.1", port=0)
    yield server
    server.close()
    await server.wait_closed()


@pytest.fixture
def address(server):
    return server.sockets[0].getsockname()[:2]


async def execute(pool, *command):
    async with pool.acquire() as connection:
        return await connection.execute(*command)


@pytest.fixture
def seeded(pool, event_loop):
    """A key every test may rely on, written through the pool before the test."""
    event_loop.run_until_complete(execute(pool, "SET", "greeting", "hello"))
    yield "greeting"
    event_loop.run_until_complete(execute(pool, "DEL", "greeting"))
