import unittest

from aiohttp.test_utils import AioHTTPTestCase
from tornado.testing import AsyncTestCase


class TestDriven(unittest.TestCase):
    def run(self, result=None):
        return super().run(result)

    async def test_driven(self):
        pass


class TestServer(AioHTTPTestCase, unittest.TestCase):
    async def test_index(self):
        pass


class TestTornado(AsyncTestCase):
    async def test_fetch(self):
        pass


class TestClassSetup(unittest.TestCase):
    @classmethod
    async def setUpClass(cls):
        pass

    async def test_x(self):
        pass


class TestAlready(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        pass

    async def test_y(self):
        pass


class TestNotUnittest:
    async def test_pytest_style(self):
        pass
