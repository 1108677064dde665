import asyncio
import unittest
from unittest import mock


class TestX(unittest.IsolatedAsyncioTestCase):
    @mock.patch("a.b", new_callable=mock.AsyncMock)
    async def test_a(self, b):
        async def inner():
            return asyncio.get_running_loop()
        def sync_inner():
            return 1
        await inner()
        self.addCleanup(b.reset_mock)
        await self.assertAsyncRaises(ValueError, b())
        b.awaited
