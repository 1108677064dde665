import unittest.mock

import aiohttp.test_utils as tu


class TestA(tu.AioHTTPTestCase):
    @unittest.mock.patch("shop.app.TIMEOUT", 1)
    async def test_a(self):
        pass

    @unittest.mock.patch("shop.app.TIMEOUT", 1)
    async def test_b(self):
        pass
