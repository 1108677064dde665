import asyncio

import unittest

from app import timer


class TestSyncLoop(unittest.IsolatedAsyncioTestCase):
    async def test_sync(self):
        self.assertEqual(await timer.tick(), 1)
        value = await timer.tick()
        with self.assertRaises(ValueError):
            await timer.fail()
        self.assertEqual((await timer.info()).name, "t")

    def test_plain(self):
        self.assertTrue(timer)


class TestMixed(unittest.IsolatedAsyncioTestCase):
    def test_mixed(self):
        asyncio.get_event_loop().run_until_complete(timer.tick())
        asyncio.get_event_loop().run_until_complete(timer.tick())


class TestHelper(unittest.IsolatedAsyncioTestCase):
    async def drive(self, coro):
        return await coro
