import unittest
from unittest import mock

from aiohttp import ClientError

from app import lookup, service


class TestErrors(unittest.IsolatedAsyncioTestCase):
    async def test_raises(self):
        service.fetch = mock.AsyncMock(side_effect=ValueError)
        service.ping = mock.AsyncMock(side_effect=TimeoutError)
        service.get = mock.AsyncMock(side_effect=ClientError)
        with self.assertRaises(ValueError):
            await service.fetch()

    async def test_named_function(self):
        # an imported function: what it returns is not visible here
        service.fetch = mock.AsyncMock(side_effect=lookup)
        assert await service.fetch("a")
