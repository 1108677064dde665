import unittest

import asynctest as at
from asynctest import mock as amock


class Base(at.TestCase):
    async def setUp(self):
        self.events = []

    async def tearDown(self):
        self.events.clear()


class TestChild(Base):
    async def setUp(self):
        await super().setUp()
        self.handler = at.CoroutineMock()

    async def test_handler(self):
        with amock.patch.object(self, "events", new=[]):
            await self.handler(1)
        self.handler.assert_awaited_once_with(1)


@unittest.skipIf(False, "never")
class TestSync(at.TestCase):
    def setUp(self):
        self.value = 1

    async def setUp_helper(self):
        return self.value

    async def tearDown(self):
        """Close what setUp opened."""
        super().tearDown()
        await self.setUp_helper()
