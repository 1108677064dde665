import unittest
from unittest import mock

from app import db


class DatabaseCase(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.url = "sqlite://"


class TestQueries(DatabaseCase):
    async def asyncSetUp(self):
        self.conn = await db.connect(self.url)

    async def asyncTearDown(self):
        await self.conn.close()

    async def test_query(self):
        cursor = mock.MagicMock()
        cursor.fetchall = mock.AsyncMock(return_value=[(1,)])
        self.assertEqual(await db.rows(cursor), [(1,)])


class TestLater(DatabaseCase):
    async def asyncSetUp(self):
        self.conn = await db.connect(self.url)
        super().setUp()
