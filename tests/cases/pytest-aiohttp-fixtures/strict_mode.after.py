import pytest
from aiohttp import web
import pytest_asyncio


@pytest.mark.asyncio
async def test_sync_style(aiohttp_client):
    client = await aiohttp_client(web.Application())
    assert (await client.get("/")).status == 404


@pytest_asyncio.fixture(scope="function")
async def server(aiohttp_server):
    return await aiohttp_server(web.Application())
