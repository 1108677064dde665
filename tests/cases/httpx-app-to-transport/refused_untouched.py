import httpx

from app.main import app


async def test_both_given():
    # httpx 0.27 ignored app= here; a human must choose
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(app=app, transport=transport) as client:
        await client.get("/")


async def test_kwargs_literal():
    async with httpx.AsyncClient(**{"app": app, "base_url": "http://test"}) as client:
        await client.get("/")


async def test_kwargs_built():
    options = {"base_url": "http://test"}
    options["app"] = app
    async with httpx.AsyncClient(**options) as client:
        await client.get("/")


def make_client(**options):
    return httpx.AsyncClient(base_url="http://test", **options)


async def test_through_a_helper():
    async with make_client(app=app) as client:
        await client.get("/")
