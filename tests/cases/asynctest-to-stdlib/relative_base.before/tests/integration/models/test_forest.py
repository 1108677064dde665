from .. import IntegrationTest


class TestForest(IntegrationTest):
    def setUp(self):
        super().setUp()
        self.client["gzip"] = True

    async def test_ready(self):
        assert self.client == {"ready": True, "gzip": True}
