from .. import IntegrationTest


class TestForest(IntegrationTest):
    async def asyncSetUp(self):
        await super().asyncSetUp()
        self.client["gzip"] = True

    async def test_ready(self):
        assert self.client == {"ready": True, "gzip": True}
