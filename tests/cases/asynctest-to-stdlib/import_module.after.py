import asyncio
import unittest
from unittest import mock

from app import service


class TestService(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.repo = mock.MagicMock()
        self.repo.load = mock.AsyncMock(return_value={"id": 1})
        self.svc = service.Service(self.repo, loop=asyncio.get_running_loop())

    async def asyncTearDown(self):
        await self.svc.close()

    @mock.patch("app.service.fetch", new=mock.AsyncMock(return_value=3))
    async def test_total(self):
        self.assertEqual(await self.svc.total(), 3)

    @mock.patch.object(service, "now", return_value=0)
    async def test_load(self, now):
        fut = asyncio.get_running_loop().create_future()
        self.assertEqual(await self.svc.load(1), {"id": 1})
        self.repo.load.assert_awaited_once_with(1)
        self.repo.load.assert_has_calls([mock.call(1)])
        self.assertIs(fut.get_loop(), asyncio.get_running_loop())

    async def test_sentinel(self):
        with mock.patch.dict("os.environ", {"X": "1"}):
            await self.svc.run(mock.ANY, mock.sentinel.token)

    def test_sync(self):
        self.assertTrue(self.svc)


if __name__ == "__main__":
    unittest.main()
