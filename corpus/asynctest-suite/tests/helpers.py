"""Shared test helpers, written for Python 3.6/3.7 (before unittest.mock.AsyncMock)."""

from unittest.mock import MagicMock

import asynctest

from notifier import SubscriberStore


class AsyncMock(MagicMock):
    async def __call__(self, *args, **kwargs):
        return super(AsyncMock, self).__call__(*args, **kwargs)


NEWS = [
    ("ada@example.org", True),
    ("bob@example.org", False),
    ("cy@example.org", True),
]


class NotifierCase(asynctest.TestCase):
    """Every dispatcher test starts from the same subscribers and a fake transport."""

    async def setUp(self):
        self.store = SubscriberStore({"news": NEWS})
        self.transport = asynctest.MagicMock()
        self.transport.send = asynctest.CoroutineMock(return_value=True)
        self.transport.close = asynctest.CoroutineMock()

    async def tearDown(self):
        await self.transport.close()
        self.transport.close.assert_awaited_once_with()
