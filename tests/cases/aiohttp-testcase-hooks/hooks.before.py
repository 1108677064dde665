from aiohttp import ClientSession, web
from aiohttp.test_utils import AioHTTPTestCase


class TestAuth(AioHTTPTestCase):
    async def setUpAsync(self):
        """Every test gets its own session."""
        self.session = ClientSession()

    async def tearDownAsync(self):
        await self.session.close()

    async def get_application(self):
        return web.Application()

    async def test_server_started(self):
        assert self.server.port


class TestPairing(AioHTTPTestCase):
    def setUp(self):
        AioHTTPTestCase.setUp(self)
        self.url = f"http://127.0.0.1:{self.server.port}/"
        self.ready = self.loop.run_until_complete(self.client.get("/"))

    async def get_application(self):
        return web.Application()


class TestAlreadyFine(AioHTTPTestCase):
    async def setUpAsync(self):
        await super().setUpAsync()
        self.extra = True

    async def get_application(self):
        return web.Application()
