import pytest
from aiohttp import web


def test_sync_style(loop, aiohttp_client):
    client = loop.run_until_complete(aiohttp_client(web.Application()))
    assert loop.run_until_complete(client.get("/")).status == 404


@pytest.fixture(scope="function")
def server(loop, aiohttp_server):
    return loop.run_until_complete(aiohttp_server(web.Application()))
