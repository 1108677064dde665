import unittest


class QueueTestsMixin:
    queue_class = None

    async def test_put_get(self):
        queue = self.queue_class()
        await queue.put(1)
        self.assertEqual(await queue.get(), 1)


class TestAsyncioQueue(QueueTestsMixin, unittest.IsolatedAsyncioTestCase):
    queue_class = None
