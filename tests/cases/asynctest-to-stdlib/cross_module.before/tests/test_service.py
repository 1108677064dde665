from tests.helpers import ServiceCase


class TestService(ServiceCase):
    async def setUp(self):
        await super().setUp()
        self.queue = []

    async def test_started(self):
        self.queue.append(self.loop.time())
        self.assertTrue(self.started)
