import pytest

from chat import Client, Server, heartbeat
import asyncio


@pytest.fixture
async def server(unused_tcp_port):
    event_loop = asyncio.get_running_loop()
    srv = Server("127.0.0.1", unused_tcp_port, event_loop)
    await srv.start()
    yield srv
    await srv.stop()


@pytest.fixture
async def client(server):
    event_loop = asyncio.get_running_loop()
    client = Client(server.address, loop=event_loop)
    client.pinger = event_loop.create_task(heartbeat(client))
    return client
