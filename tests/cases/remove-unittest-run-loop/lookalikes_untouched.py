from aiohttp.test_utils import AioHTTPTestCase, unittest_run_loop

from helpers import run_loop


def unittest_run_loop_local(func):
    return func


class TestA(AioHTTPTestCase):
    @run_loop
    async def test_a(self):
        pass

    @unittest_run_loop_local
    async def test_b(self):
        pass

    # called, not used as a decorator: reported, left alone
    test_c = unittest_run_loop(test_b)
