"""Database fixtures."""
import asyncio

import pytest
import pytest_asyncio


@pytest.fixture(scope="module")
def event_loop():
    """One loop per module: the connection is module-scoped."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest_asyncio.fixture(scope="module")
async def connection():
    yield object()


@pytest.fixture
async def row(connection):
    return 1
