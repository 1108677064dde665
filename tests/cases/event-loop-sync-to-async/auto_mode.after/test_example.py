import pytest

from app import Server, fetch
import pytest_asyncio


async def test_fetch():
    assert await fetch() == 1


@pytest.fixture
async def server():
    srv = await Server.start()
    yield srv
    await srv.stop()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def shared():
    return await Server.start()
