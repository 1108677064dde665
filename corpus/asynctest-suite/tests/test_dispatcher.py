import asynctest

from notifier import Delivery, Dispatcher, SubscriberStore, TransportError
from tests.helpers import NotifierCase


class TestNotify(NotifierCase):
    async def setUp(self):
        await super().setUp()
        self.dispatcher = Dispatcher(self.store, self.transport, loop=self.loop)

    async def test_sends_to_active_subscribers(self):
        results = await self.dispatcher.notify("news", "welcome", name="all")
        self.assertEqual([r.address for r in results], ["ada@example.org", "cy@example.org"])
        self.transport.send.assert_has_awaits(
            [
                asynctest.call("ada@example.org", "Hello all!"),
                asynctest.call("cy@example.org", "Hello all!"),
            ],
            any_order=True,
        )

    async def test_timestamps_come_from_the_loop(self):
        before = self.loop.time()
        results = await self.dispatcher.notify("news", "digest", count=3)
        self.assertTrue(all(before <= r.at <= self.loop.time() for r in results))

    async def test_failed_send_is_recorded(self):
        self.transport.send.side_effect = [True, TransportError("mailbox full")]
        results = await self.dispatcher.notify("news", "digest", count=1)
        self.assertEqual(sorted(r.ok for r in results), [False, True])

    @asynctest.patch("notifier.templates.fetch_template")
    async def test_template_service_is_asked(self, fetch_template):
        fetch_template.return_value = "Hi {name}"
        await self.dispatcher.notify("news", "welcome", name="x")
        fetch_template.assert_awaited_once_with("welcome")
        self.transport.send.assert_any_await("ada@example.org", "Hi x")

    @asynctest.patch.object(Dispatcher, "_now", return_value=42.0)
    async def test_patched_clock(self, now):
        results = await self.dispatcher.notify("news", "digest", count=0)
        self.assertEqual({r.at for r in results}, {42.0})
        self.assertEqual(now.call_count, 2)

    @asynctest.fail_on(active_handles=True)
    async def test_empty_topic(self):
        self.assertEqual(await self.dispatcher.notify("nobody", "digest", count=0), [])
        self.transport.send.assert_not_awaited()


class TestDefaults(asynctest.TestCase):
    use_default_loop = False
    forbid_get_event_loop = False

    async def test_dispatcher_without_loop_uses_the_current_loop(self):
        store = asynctest.MagicMock()
        store.subscribers = asynctest.CoroutineMock(return_value=["z@example.org"])
        transport = asynctest.Mock()
        transport.send = asynctest.CoroutineMock(return_value=1)
        dispatcher = Dispatcher(store, transport)
        [delivery] = await dispatcher.notify("t", "digest", count=2)
        self.assertEqual(delivery, Delivery("z@example.org", True, asynctest.ANY))
        store.subscribers.assert_awaited_once_with("t")

    def test_store_through_the_test_loop(self):
        # An older test: sync, driving the test's loop by hand.
        store = SubscriberStore({"t": [("q@example.org", True), ("r@example.org", False)]})
        self.assertEqual(self.loop.run_until_complete(store.subscribers("t")), ["q@example.org"])
        self.assertEqual(store.queries, 1)

    def test_delivery_is_a_plain_record(self):
        self.assertEqual(Delivery("a", True, 1.0).address, "a")
