import asynctest

from aiohttp import ClientError

from app import lookup, service


class TestErrors(asynctest.TestCase):
    async def test_raises(self):
        service.fetch = asynctest.CoroutineMock(side_effect=ValueError)
        service.ping = asynctest.CoroutineMock(side_effect=TimeoutError)
        service.get = asynctest.CoroutineMock(side_effect=ClientError)
        with self.assertRaises(ValueError):
            await service.fetch()

    async def test_named_function(self):
        # an imported function: what it returns is not visible here
        service.fetch = asynctest.CoroutineMock(side_effect=lookup)
        assert await service.fetch("a")
