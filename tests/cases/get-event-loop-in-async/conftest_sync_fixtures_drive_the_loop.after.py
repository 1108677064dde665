import pytest

from app import Server
import pytest_asyncio


@pytest_asyncio.fixture
async def server():
    srv = Server()
    await srv.start()
    yield srv
    await srv.stop()


@pytest_asyncio.fixture
async def client(server):
    conn = await server.connect()
    yield conn
    await conn.close()


@pytest_asyncio.fixture
async def greeting(client):
    return (await client.hello()).upper()
