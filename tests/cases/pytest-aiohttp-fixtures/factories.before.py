from aiohttp import web

from shop.app import create_shop_app, make_app_with_loop


def create_app(loop):
    app = web.Application()
    return app


def create_configured_app(loop, config=None):
    app = web.Application()
    app["config"] = config
    return app


def create_app_optional(loop=None):
    return web.Application()


def needs_loop(loop):
    app = web.Application()
    app["loop"] = loop
    return app


async def test_plain(test_client):
    client = await test_client(create_app)
    assert client


async def test_args(aiohttp_client):
    client = await aiohttp_client(create_configured_app, {"debug": True}, server_kwargs={})
    assert client


async def test_optional(aiohttp_client):
    assert await aiohttp_client(create_app_optional)


async def test_imported(aiohttp_client):
    assert await aiohttp_client(create_shop_app)


async def test_needs_loop(aiohttp_client):
    assert await aiohttp_client(needs_loop)


async def test_app_object(aiohttp_client):
    app = create_app_optional()
    assert await aiohttp_client(app)
