import asyncio

import asynctest

from app import timer


class TestSyncLoop(asynctest.TestCase):
    def test_sync(self):
        self.assertEqual(self.loop.run_until_complete(timer.tick()), 1)
        value = self.loop.run_until_complete(timer.tick())
        with self.assertRaises(ValueError):
            self.loop.run_until_complete(timer.fail())
        self.assertEqual(self.loop.run_until_complete(timer.info()).name, "t")

    def test_plain(self):
        self.assertTrue(timer)


class TestMixed(asynctest.TestCase):
    def test_mixed(self):
        self.loop.run_until_complete(timer.tick())
        asyncio.get_event_loop().run_until_complete(timer.tick())


class TestHelper(asynctest.TestCase):
    def drive(self, coro):
        return self.loop.run_until_complete(coro)
