"""Everything here stays on asynctest, with a note."""
import asynctest

from app import timer
import asyncio
import unittest
from unittest import mock


class TestTimer(asynctest.ClockedTestCase):
    async def test_fires(self):
        cb = mock.AsyncMock(return_value=mock.MagicMock())
        timer.schedule(self.loop, 10, cb)
        await self.advance(10)
        cb.assert_awaited_once_with()


class TestSyncLoop(unittest.IsolatedAsyncioTestCase):
    def tick(self):
        return asyncio.get_event_loop().run_until_complete(timer.tick())

    def test_sync(self):
        self.assertEqual(self.tick(), 1)


class TestLimited(unittest.IsolatedAsyncioTestCase):
    @asynctest.patch("app.timer.clock", scope=asynctest.LIMITED)
    async def test_limited(self, clock):
        clock.side_effect = asynctest.return_once(1, then=2)
        await timer.tick()
        asynctest.helpers.exhaust_callbacks(asyncio.get_running_loop())
