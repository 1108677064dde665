import asynctest

unittest = None  # the module name is reused for something else


class TestTaken(asynctest.TestCase):
    async def setUp(self):
        self.m = asynctest.CoroutineMock()

    async def test_m(self):
        await self.m()
        self.m.assert_awaited_once_with()
