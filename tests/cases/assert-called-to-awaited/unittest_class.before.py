import unittest
from unittest.mock import AsyncMock, MagicMock

from shop.service import Service


class TestService(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.repo = MagicMock()
        self.repo.get = AsyncMock(return_value={"id": 1})
        self.log = MagicMock()
        self.service = Service(self.repo, self.log)

    async def test_load(self):
        await self.service.load(1)
        self.repo.get.assert_called_once_with(1)
        self.log.assert_called_once_with("load", 1)

    async def test_replaced_mock(self):
        self.repo.get = MagicMock(return_value=None)
        self.service.peek(1)
        self.repo.get.assert_called_once_with(1)
