import unittest.mock

import aiohttp.test_utils as tu
from aiohttp.test_utils import unittest_run_loop as run_loop


class TestA(tu.AioHTTPTestCase):
    @run_loop
    @unittest.mock.patch("shop.app.TIMEOUT", 1)
    async def test_a(self):
        pass

    @unittest.mock.patch("shop.app.TIMEOUT", 1)
    @tu.unittest_run_loop
    async def test_b(self):
        pass
