import asyncio

from unittest import IsolatedAsyncioTestCase


async def fetch(value):
    await asyncio.sleep(0)
    return value


class TestFetching(IsolatedAsyncioTestCase):
    async def run_async(self, coroutine):
        """Run a coroutine on the test's loop."""
        return await coroutine

    async def test_value(self):
        self.assertEqual(await self.run_async(fetch(1)), 1)

    async def test_twice(self):
        result = await self.run_async(fetch(2))
        self.assertEqual((await self.run_async(fetch(result))).bit_length(), 2)


class TestHelperInSetUp(IsolatedAsyncioTestCase):
    def run_async(self, coroutine):
        return asyncio.get_event_loop().run_until_complete(coroutine)

    def setUp(self):
        self.value = self.run_async(fetch(3))

    def test_value(self):
        self.assertEqual(self.value, 3)
