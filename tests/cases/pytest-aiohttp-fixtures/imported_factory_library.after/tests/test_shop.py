from shop.app import create_app, create_legacy_app, create_shared_app, create_wired_app


async def test_optional_loop(aiohttp_client):
    client = await aiohttp_client(create_app())
    assert (await client.get("/")).status == 404


async def test_unused_loop(aiohttp_client):
    client = await aiohttp_client(create_legacy_app(None))
    assert client


async def test_used_loop(aiohttp_client):
    assert await aiohttp_client(create_wired_app)


async def test_shared_factory(aiohttp_client):
    assert await aiohttp_client(create_shared_app)
