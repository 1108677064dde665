import unittest

from inventory import AlertBus, Item, Store


class TestAlertBus(unittest.TestCase):
    # Written as if unittest awaited coroutines: none of these ever ran.
    async def setUp(self):
        self.store = Store()
        await self.store.connect()
        await self.store.add(Item("kiwi", "Kiwi", 3, 25))
        self.bus = AlertBus(self.store, threshold=5)

    async def tearDown(self):
        await self.store.close()

    async def test_low_stock_alerts(self):
        self.assertTrue(await self.bus.check("kiwi"))
        self.assertEqual(await self.bus.next_alert(), "kiwi")

    async def test_unknown_sku_is_quiet(self):
        self.assertFalse(await self.bus.check("durian"))

    def test_threshold_is_kept(self):
        self.assertEqual(AlertBus(Store(), threshold=7).threshold, 7)
