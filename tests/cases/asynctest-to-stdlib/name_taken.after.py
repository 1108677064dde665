import asynctest
from unittest import mock

unittest = None  # the module name is reused for something else


class TestTaken(asynctest.TestCase):
    async def setUp(self):
        self.m = mock.AsyncMock(return_value=mock.MagicMock())

    async def test_m(self):
        await self.m()
        self.m.assert_awaited_once_with()
