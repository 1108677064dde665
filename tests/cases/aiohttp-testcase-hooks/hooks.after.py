from aiohttp import ClientSession, web
from aiohttp.test_utils import AioHTTPTestCase


class TestAuth(AioHTTPTestCase):
    async def setUpAsync(self):
        """Every test gets its own session."""
        await super().setUpAsync()
        self.session = ClientSession()

    async def tearDownAsync(self):
        await self.session.close()
        await super().tearDownAsync()

    async def get_application(self):
        return web.Application()

    async def test_server_started(self):
        assert self.server.port


class TestPairing(AioHTTPTestCase):
    async def setUpAsync(self):
        await super().setUpAsync()
        self.url = f"http://127.0.0.1:{self.server.port}/"
        self.ready = await self.client.get("/")

    async def get_application(self):
        return web.Application()


class TestAlreadyFine(AioHTTPTestCase):
    async def setUpAsync(self):
        await super().setUpAsync()
        self.extra = True

    async def get_application(self):
        return web.Application()
