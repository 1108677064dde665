import pytest_asyncio
from pytest_asyncio import fixture as async_fixture


@pytest_asyncio.fixture(scope="module")
async def server():
    yield "server"


@async_fixture(name="client", scope="class")
async def make_client(server):
    yield object()


async def test_server(server):
    assert server


class TestClient:
    async def test_client(self, client):
        assert client
