from aiohttp import web


def create_app(loop):
    return web.Application()


async def test_index(test_client):
    client = await test_client(create_app)
    assert (await client.get("/")).status == 404
