import unittest

from library.stores import MemoryStore, SqliteStore


class StoreContract:
    store_class = None

    async def test_round_trip(self):
        store = self.store_class()
        await store.put("k", 1)
        self.assertEqual(await store.get("k"), 1)

    def test_is_empty(self):
        self.assertEqual(len(self.store_class()), 0)


class TestMemoryStore(StoreContract, unittest.IsolatedAsyncioTestCase):
    store_class = MemoryStore


class SlowContract:
    async def setUp(self):
        self.store = await SqliteStore.open()

    async def test_persists(self):
        await self.store.put("k", 1)


class TestSqliteStore(SlowContract, unittest.TestCase):
    store_class = SqliteStore
