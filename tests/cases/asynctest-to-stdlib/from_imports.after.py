"""Names imported from asynctest and asynctest.mock, one aliased."""
import asyncio

from unittest import IsolatedAsyncioTestCase
from unittest.mock import AsyncMock, MagicMock, call, patch

from app.client import Client


class TestClient(IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.transport = MagicMock()
        self.transport.send = AsyncMock(return_value=b"ok")
        self.client = Client(self.transport)

    @patch("app.client.retry_delay", return_value=0)
    async def test_send(self, delay):
        await asyncio.sleep(0)
        self.assertEqual(await self.client.send(b"x"), b"ok")
        self.transport.send.assert_has_awaits([call(b"x")])
