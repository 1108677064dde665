import pytest
from aiohttp import web

from shop.server import Application


@pytest.fixture
def create_server(loop, unused_tcp_port_factory):
    """The loop serves the app itself here: more than the application's argument."""

    async def create():
        app = web.Application(loop=loop)
        port = unused_tcp_port_factory()
        server = await loop.create_server(web.AppRunner(app).server, "127.0.0.1", port)
        return server, port

    return create


@pytest.fixture
def shop_app(loop):
    # The project's own Application, not aiohttp's: its loop argument may matter.
    def make():
        return Application(loop=loop)

    return make
