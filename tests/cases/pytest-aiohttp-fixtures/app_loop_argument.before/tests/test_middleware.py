from aiohttp import web


@web.middleware
async def user_from_header(request, handler):
    request["user"] = request.headers.get("X-User", "anonymous")
    return await handler(request)


async def test_without_middleware(create_server, aiohttp_client):
    client = await aiohttp_client(await create_server())
    response = await client.get("/")
    assert await response.text() == "hello anonymous"


async def test_user_from_header(create_server, aiohttp_client):
    client = await aiohttp_client(await create_server(user_from_header))
    response = await client.get("/", headers={"X-User": "ann"})
    assert await response.text() == "hello ann"


async def test_plain_app(make_app, aiohttp_client):
    client = await aiohttp_client(make_app())
    response = await client.get("/")
    assert response.status == 200
