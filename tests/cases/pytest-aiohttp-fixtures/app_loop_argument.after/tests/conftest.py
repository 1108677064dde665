import pytest
from aiohttp import web


async def greet(request):
    return web.Response(text="hello " + request.get("user", "anonymous"))


@pytest.fixture
def create_server(aiohttp_server):
    """Serve the greeting behind the given middlewares."""

    async def create(*middlewares):
        app = web.Application(middlewares=list(middlewares))
        app.router.add_get("/", greet)
        return await aiohttp_server(app)

    return create


@pytest.fixture
def make_app():
    def make():
        app = web.Application()
        app.router.add_get("/", greet)
        return app

    return make
