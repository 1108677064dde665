import pytest

from chat import Client, Server, heartbeat


@pytest.fixture
def server(event_loop, unused_tcp_port):
    srv = Server("127.0.0.1", unused_tcp_port, event_loop)
    event_loop.run_until_complete(srv.start())
    yield srv
    event_loop.run_until_complete(srv.stop())


@pytest.fixture
def client(event_loop, server):
    client = Client(server.address, loop=event_loop)
    client.pinger = event_loop.create_task(heartbeat(client))
    return client
