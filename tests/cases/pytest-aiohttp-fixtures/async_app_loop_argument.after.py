import aiohttp.web
from aiohttp import web
import asyncio


async def test_app(aiohttp_client):
    app = web.Application(client_max_size=1024)
    client = await aiohttp_client(app)
    assert client.server.app is app


async def test_app_and_loop(aiohttp_client):
    loop = asyncio.get_running_loop()
    app = aiohttp.web.Application()
    loop.call_soon(print, "started")
    assert await aiohttp_client(app)
