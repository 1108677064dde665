import asyncio

import asynctest

from notifier.store import SubscriberStore
from tests.helpers import AsyncMock


@asyncio.coroutine
def fake_load(topic):
    yield from asyncio.sleep(0)
    return [(topic + "@example.org", True), ("off@example.org", False)]


class TestStore(asynctest.TestCase):
    async def test_home_made_async_mock(self):
        store = SubscriberStore()
        store.load = AsyncMock(return_value=[("x@example.org", True)])
        self.assertEqual(await store.subscribers("t"), ["x@example.org"])
        store.load.assert_called_once_with("t")

    async def test_generator_based_fake(self):
        store = SubscriberStore()
        with asynctest.patch.object(store, "load", new=fake_load):
            self.assertEqual(await store.subscribers("ops"), ["ops@example.org"])

    async def test_real_store_counts_queries(self):
        store = SubscriberStore({"t": [("a@example.org", True)]})
        await store.subscribers("t")
        await store.subscribers("t")
        self.assertEqual(store.queries, 2)
