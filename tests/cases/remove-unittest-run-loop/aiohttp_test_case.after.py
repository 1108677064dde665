from aiohttp import web
from aiohttp.test_utils import AioHTTPTestCase

from shop.app import create_app


class TestHandlers(AioHTTPTestCase):
    async def get_application(self):
        return create_app()

    async def test_index(self):
        resp = await self.client.get("/")
        assert resp.status == 200

    # the health check must not need auth
    async def test_health(self):
        resp = await self.client.get("/health")
        assert resp.status == 200
