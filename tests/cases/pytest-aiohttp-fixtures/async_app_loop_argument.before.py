import aiohttp.web
from aiohttp import web


async def test_app(loop, aiohttp_client):
    app = web.Application(loop=loop, client_max_size=1024)
    client = await aiohttp_client(app)
    assert client.server.app is app


async def test_app_and_loop(loop, aiohttp_client):
    app = aiohttp.web.Application(loop=loop)
    loop.call_soon(print, "started")
    assert await aiohttp_client(app)
