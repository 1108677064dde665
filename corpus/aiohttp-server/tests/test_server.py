from aiohttp import ClientSession, web

from notes_service import create_app


def make_app(loop):
    # The plugin called factories as factory(loop); this one ignores it.
    app = create_app()
    app["mode"] = "factory"
    return app


async def test_client_from_factory(test_client):
    client = await test_client(make_app)
    assert client.server.app["mode"] == "factory"
    resp = await client.get("/health")
    assert resp.status == 200


async def test_real_port(test_server, aiohttp_unused_port, loop):
    port = aiohttp_unused_port()
    server = await test_server(create_app(), port=port)
    assert server.port == port
    async with ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/health") as resp:
            assert resp.status == 200
    done = loop.create_future()
    loop.call_soon(done.set_result, "ran on the test loop")
    assert await done == "ran on the test loop"


async def test_two_ports_from_the_factory(unused_port):
    first, second = unused_port(), unused_port()
    assert 0 < first < 65536 and 0 < second < 65536


async def test_raw_server(raw_test_server, test_client):
    async def handler(request):
        return web.Response(text=f"raw {request.path}")

    server = await raw_test_server(handler)
    client = await test_client(server)
    resp = await client.get("/ping")
    assert await resp.text() == "raw /ping"
