import asynctest


class IntegrationTest(asynctest.TestCase):
    def setUp(self):
        self.client = {"ready": True}
