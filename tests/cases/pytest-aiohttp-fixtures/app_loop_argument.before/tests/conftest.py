import pytest
from aiohttp import web


async def greet(request):
    return web.Response(text="hello " + request.get("user", "anonymous"))


@pytest.fixture
def create_server(loop, aiohttp_server):
    """Serve the greeting behind the given middlewares."""

    async def create(*middlewares):
        app = web.Application(loop=loop, middlewares=list(middlewares))
        app.router.add_get("/", greet)
        return await aiohttp_server(app)

    return create


@pytest.fixture
def make_app(loop):
    def make():
        app = web.Application(
            loop=loop,
        )
        app.router.add_get("/", greet)
        return app

    return make
