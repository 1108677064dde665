from aiohttp import web


def create_app():
    return web.Application()


async def test_index(aiohttp_client):
    client = await aiohttp_client(create_app())
    assert (await client.get("/")).status == 404
