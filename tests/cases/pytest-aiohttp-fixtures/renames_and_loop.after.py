import pytest
from aiohttp import web
import asyncio
import pytest_asyncio


async def hello(request):
    return web.Response(text="hello")


def create_app(loop):
    app = web.Application()
    app.router.add_get("/", hello)
    return app


@pytest.fixture
async def cli(aiohttp_client):
    return await aiohttp_client(create_app)


async def test_hello(aiohttp_client, unused_tcp_port_factory):
    """The root says hello."""
    loop = asyncio.get_running_loop()
    client = await aiohttp_client(create_app)
    port = unused_tcp_port_factory()
    loop.call_soon(print, port)
    resp = await client.get("/")
    assert resp.status == 200


async def test_server(aiohttp_server, unused_tcp_port_factory, aiohttp_client):
    server = await aiohttp_server(create_app(None), port=unused_tcp_port_factory())
    client = await aiohttp_client(server)
    assert (await client.get("/")).status == 200


async def test_raw(aiohttp_raw_server):
    server = await aiohttp_raw_server(hello)
    assert server.port


@pytest.mark.asyncio
async def test_sync_style(aiohttp_client):
    client = await aiohttp_client(create_app)
    resp = await client.get("/")
    assert (await resp.text()).startswith("hel")
    await client.close()


@pytest_asyncio.fixture
async def server(aiohttp_server):
    srv = await aiohttp_server(web.Application())
    yield srv
    await srv.close()
