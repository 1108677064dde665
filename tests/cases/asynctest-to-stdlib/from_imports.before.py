"""Names imported from asynctest and asynctest.mock, one aliased."""
import asyncio

from asynctest import CoroutineMock, TestCase, patch
from asynctest.mock import MagicMock as MM, call

from app.client import Client


class TestClient(TestCase):
    async def setUp(self):
        self.transport = MM()
        self.transport.send = CoroutineMock(return_value=b"ok")
        self.client = Client(self.transport)

    @patch("app.client.retry_delay", return_value=0)
    async def test_send(self, delay):
        await asyncio.sleep(0)
        self.assertEqual(await self.client.send(b"x"), b"ok")
        self.transport.send.assert_has_awaits([call(b"x")])
