import asyncio

import pytest
import pytest_asyncio
from httpx import AsyncClient

from notes_service import Pool, app


@pytest.fixture(scope="session")
def event_loop():
    # One loop for the whole run: the pool below is opened once and bound to it.
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest_asyncio.fixture(scope="session")
async def pool():
    pool = await Pool(size=2).open()
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def client(pool):
    app.state.pool = pool
    async with AsyncClient(app=app, base_url="http://notes.test") as client:
        yield client


@pytest.fixture(autouse=True)
async def empty_tables(pool):
    pool.clear()
    yield
    assert pool.idle == pool.size, "a test left a connection checked out"
