import asynctest

from app import service


class TestService(asynctest.TestCase):
    use_default_loop = False
    forbid_get_event_loop = True

    async def setUp(self):
        self.repo = asynctest.MagicMock()
        self.repo.load = asynctest.CoroutineMock(return_value={"id": 1})
        self.svc = service.Service(self.repo, loop=self.loop)

    async def tearDown(self):
        await self.svc.close()

    @asynctest.patch("app.service.fetch", new=asynctest.CoroutineMock(return_value=3))
    async def test_total(self):
        self.assertEqual(await self.svc.total(), 3)

    @asynctest.patch.object(service, "now", return_value=0)
    async def test_load(self, now):
        fut = self.loop.create_future()
        self.assertEqual(await self.svc.load(1), {"id": 1})
        self.repo.load.assert_awaited_once_with(1)
        self.repo.load.assert_has_calls([asynctest.call(1)])
        self.assertIs(fut.get_loop(), self.loop)

    @asynctest.fail_on(unused_loop=True)
    async def test_sentinel(self):
        with asynctest.patch.dict("os.environ", {"X": "1"}, scope=asynctest.GLOBAL):
            await self.svc.run(asynctest.ANY, asynctest.sentinel.token)

    def test_sync(self):
        self.assertTrue(self.svc)


if __name__ == "__main__":
    asynctest.main()
