from tests.base import LoopCase


class TestKept(LoopCase):
    async def asyncSetUp(self):
        self.ready = True

    async def test_ready(self):
        self.assertTrue(self.ready)
