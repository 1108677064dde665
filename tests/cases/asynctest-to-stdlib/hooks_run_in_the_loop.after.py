import asyncio

import unittest


class TestGeneratorHooks(unittest.IsolatedAsyncioTestCase):
    @asyncio.coroutine
    def asyncSetUp(self):
        yield from super().asyncSetUp()
        self.queue = asyncio.Queue()
        yield from self.queue.put("ready")

    async def test_ready(self):
        self.assertEqual(await self.queue.get(), "ready")


class TestSyncHooks(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        # asynctest ran this inside the test's loop: the task starts in it.
        self.task = asyncio.ensure_future(asyncio.sleep(0, result=3))

    async def asyncTearDown(self):
        self.task.cancel()

    async def test_task(self):
        self.assertEqual(await self.task, 3)
