import unittest
from unittest import mock

from app import db


class DatabaseCase(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.url = "sqlite://"


class TestQueries(DatabaseCase):
    async def asyncSetUp(self):
        await super().asyncSetUp()
        self.conn = await db.connect(self.url)

    async def asyncTearDown(self):
        await self.conn.close()
        await super().asyncTearDown()

    async def test_query(self):
        cursor = mock.MagicMock()
        cursor.fetchall = mock.AsyncMock(return_value=[(1,)])
        self.assertEqual(await db.rows(cursor), [(1,)])


class TestLater(DatabaseCase):
    async def asyncSetUp(self):
        self.conn = await db.connect(self.url)
        await super().asyncSetUp()
