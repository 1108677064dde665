from aiohttp.test_utils import AioHTTPTestCase


class NotAiohttp:
    async def setUpAsync(self):
        self.x = 1


class TestMerge(AioHTTPTestCase):
    def setUp(self):
        super().setUp()
        self.url = "/"

    async def setUpAsync(self):
        await super().setUpAsync()

    async def tearDownAsync(self):
        if self.url:
            return
