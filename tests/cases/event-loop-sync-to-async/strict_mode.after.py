import pytest
from pytest import fixture

from app import Server, connect, fetch
import pytest_asyncio


@pytest.mark.asyncio
async def test_fetch():
    result = await fetch()
    assert result == 1
    assert (await fetch()).status == 200
    data = await (
        # a comment inside the call is kept
        fetch("/data")
    )
    assert data


@pytest_asyncio.fixture
async def server():
    srv = await Server.start()
    yield srv
    await srv.stop()


@pytest_asyncio.fixture(scope="module", autouse=True, loop_scope="module")
async def database():
    return await connect()


class TestClass:
    pytestmark = pytest.mark.asyncio(loop_scope="class")

    async def test_in_class(self):
        for path in ("/a", "/b"):
            await fetch(path)
