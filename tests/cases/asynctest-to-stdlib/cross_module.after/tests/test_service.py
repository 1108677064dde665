from tests.helpers import ServiceCase
import asyncio


class TestService(ServiceCase):
    async def asyncSetUp(self):
        await super().asyncSetUp()
        self.queue = []

    async def test_started(self):
        self.queue.append(asyncio.get_running_loop().time())
        self.assertTrue(self.started)
