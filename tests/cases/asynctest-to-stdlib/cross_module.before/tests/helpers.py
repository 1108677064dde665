import asynctest


class ServiceCase(asynctest.TestCase):
    async def setUp(self):
        self.started = True
