import asyncio

from asynctest.case import TestCase


async def fetch(value):
    await asyncio.sleep(0)
    return value


class TestFetching(TestCase):
    def run_async(self, coroutine):
        """Run a coroutine on the test's loop."""
        return self.loop.run_until_complete(coroutine)

    def test_value(self):
        self.assertEqual(self.run_async(fetch(1)), 1)

    def test_twice(self):
        result = self.run_async(fetch(2))
        self.assertEqual(self.run_async(fetch(result)).bit_length(), 2)


class TestHelperInSetUp(TestCase):
    def run_async(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def setUp(self):
        self.value = self.run_async(fetch(3))

    def test_value(self):
        self.assertEqual(self.value, 3)
