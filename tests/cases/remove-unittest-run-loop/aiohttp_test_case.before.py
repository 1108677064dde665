from aiohttp import web
from aiohttp.test_utils import AioHTTPTestCase, unittest_run_loop

from shop.app import create_app


class TestHandlers(AioHTTPTestCase):
    async def get_application(self):
        return create_app()

    @unittest_run_loop
    async def test_index(self):
        resp = await self.client.get("/")
        assert resp.status == 200

    # the health check must not need auth
    @unittest_run_loop
    async def test_health(self):
        resp = await self.client.get("/health")
        assert resp.status == 200
