import unittest

from unittest import mock


class Base(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.events = []

    async def asyncTearDown(self):
        self.events.clear()


class TestChild(Base):
    async def asyncSetUp(self):
        await super().asyncSetUp()
        self.handler = mock.AsyncMock(return_value=mock.MagicMock())

    async def test_handler(self):
        with mock.patch.object(self, "events", new=[]):
            await self.handler(1)
        self.handler.assert_awaited_once_with(1)


@unittest.skipIf(False, "never")
class TestSync(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.value = 1

    async def setUp_helper(self):
        return self.value

    async def asyncTearDown(self):
        """Close what setUp opened."""
        await super().asyncTearDown()
        await self.setUp_helper()
