import pytest
from aiohttp.test_utils import TestClient as AiohttpTestClient
from fastapi import FastAPI
from fastapi.testclient import TestClient

app = FastAPI()


class TestClientFactory:
    def build(self):
        return TestClient(app)


def test_sync_is_fine():
    with TestClient(app) as client:
        assert client.get("/").status_code == 404


async def helper():
    # not a test or fixture: a coroutine helper may legitimately prepare a client
    return TestClient(app)


async def test_aiohttp_client(aiohttp_server):
    server = await aiohttp_server(app)
    async with AiohttpTestClient(server) as client:
        await client.get("/")


async def test_nested_sync_factory():
    def make():
        return TestClient(app)

    assert make
