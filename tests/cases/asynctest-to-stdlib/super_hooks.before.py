import asynctest

from app import db


class DatabaseCase(asynctest.TestCase):
    def setUp(self):
        self.url = "sqlite://"


class TestQueries(DatabaseCase):
    async def setUp(self):
        super().setUp()
        self.conn = await db.connect(self.url)

    async def tearDown(self):
        await self.conn.close()
        super().tearDown()

    async def test_query(self):
        cursor = asynctest.MagicMock()
        cursor.fetchall = asynctest.CoroutineMock(return_value=[(1,)])
        self.assertEqual(await db.rows(cursor), [(1,)])


class TestLater(DatabaseCase):
    async def setUp(self):
        self.conn = await db.connect(self.url)
        super().setUp()
