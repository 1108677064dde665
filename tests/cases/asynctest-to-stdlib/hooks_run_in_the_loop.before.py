import asyncio

import asynctest


class TestGeneratorHooks(asynctest.TestCase):
    @asyncio.coroutine
    def setUp(self):
        super().setUp()
        self.queue = asyncio.Queue()
        yield from self.queue.put("ready")

    async def test_ready(self):
        self.assertEqual(await self.queue.get(), "ready")


class TestSyncHooks(asynctest.TestCase):
    def setUp(self):
        # asynctest ran this inside the test's loop: the task starts in it.
        self.task = asyncio.ensure_future(asyncio.sleep(0, result=3))

    def tearDown(self):
        self.task.cancel()

    async def test_task(self):
        self.assertEqual(await self.task, 3)
