from asynctest import mock
import asynctest.mock


@asynctest.strict
class TestX(asynctest.TestCase):
    forbid_get_event_loop = True

    @mock.patch("a.b", new_callable=asynctest.mock.CoroutineMock)
    async def test_a(self, b):
        async def inner():
            return self.loop
        def sync_inner():
            return 1
        await inner()
        self.addCleanup(b.reset_mock)
        await self.assertAsyncRaises(ValueError, b())
        b.awaited
