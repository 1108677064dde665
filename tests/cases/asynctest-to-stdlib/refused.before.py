"""Everything here stays on asynctest, with a note."""
import asynctest

from app import timer


class TestTimer(asynctest.ClockedTestCase):
    async def test_fires(self):
        cb = asynctest.CoroutineMock()
        timer.schedule(self.loop, 10, cb)
        await self.advance(10)
        cb.assert_awaited_once_with()


class TestSyncLoop(asynctest.TestCase):
    def tick(self):
        return self.loop.run_until_complete(timer.tick())

    def test_sync(self):
        self.assertEqual(self.tick(), 1)


class TestLimited(asynctest.TestCase):
    @asynctest.patch("app.timer.clock", scope=asynctest.LIMITED)
    async def test_limited(self, clock):
        clock.side_effect = asynctest.return_once(1, then=2)
        await timer.tick()
        asynctest.helpers.exhaust_callbacks(self.loop)
