import pytest
from aiohttp import web


async def hello(request):
    return web.Response(text="hello")


def create_app(loop):
    app = web.Application()
    app.router.add_get("/", hello)
    return app


@pytest.fixture
async def cli(test_client):
    return await test_client(create_app)


async def test_hello(test_client, aiohttp_unused_port, loop):
    """The root says hello."""
    client = await test_client(create_app)
    port = aiohttp_unused_port()
    loop.call_soon(print, port)
    resp = await client.get("/")
    assert resp.status == 200


async def test_server(test_server, unused_port, aiohttp_client):
    server = await test_server(create_app(None), port=unused_port())
    client = await aiohttp_client(server)
    assert (await client.get("/")).status == 200


async def test_raw(raw_test_server, loop):
    server = await raw_test_server(hello)
    assert server.port


def test_sync_style(loop, test_client):
    client = loop.run_until_complete(test_client(create_app))
    resp = loop.run_until_complete(client.get("/"))
    assert loop.run_until_complete(resp.text()).startswith("hel")
    loop.run_until_complete(client.close())


@pytest.fixture
def server(loop, aiohttp_server):
    srv = loop.run_until_complete(aiohttp_server(web.Application()))
    yield srv
    loop.run_until_complete(srv.close())
