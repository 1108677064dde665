from shop.app import create_app, create_legacy_app


async def test_optional_loop(test_client):
    client = await test_client(create_app)
    assert (await client.get("/")).status == 404


async def test_required_loop(aiohttp_client):
    client = await aiohttp_client(create_legacy_app)
    assert client
