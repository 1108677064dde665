import unittest

from library.catalog import Catalog


class TestCatalog(unittest.TestCase):
    async def setUp(self):
        self.catalog = Catalog()
        await self.catalog.load()

    async def tearDown(self):
        await self.catalog.close()

    async def test_lookup(self):
        self.assertEqual(await self.catalog.lookup("isbn-1"), "Dune")

    def test_empty_title(self):
        self.assertIsNone(Catalog().title)


class TestSyncOnly(unittest.TestCase):
    def setUp(self):
        self.catalog = Catalog()

    def test_title(self):
        self.assertIsNone(self.catalog.title)
