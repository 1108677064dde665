import asyncio
from asyncio import get_event_loop

import pytest

from app import Server


@pytest.fixture
def server():
    srv = Server()
    asyncio.get_event_loop().run_until_complete(srv.start())
    yield srv
    asyncio.get_event_loop().run_until_complete(srv.stop())


@pytest.fixture
def client(server):
    loop = get_event_loop()
    conn = loop.run_until_complete(server.connect())
    yield conn
    loop.run_until_complete(conn.close())


@pytest.fixture
def greeting(client):
    return asyncio.get_event_loop().run_until_complete(client.hello()).upper()
