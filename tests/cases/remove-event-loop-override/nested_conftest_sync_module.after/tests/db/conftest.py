"""Database fixtures."""
import pytest_asyncio


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def connection():
    yield object()


@pytest_asyncio.fixture(loop_scope="module")
async def row(connection):
    return 1
