import asynctest


class LoopCase(asynctest.TestCase):
    def run_sync(self, coro):
        # A sync helper driving the test's loop: no running loop to ask for after migration.
        return self.loop.run_until_complete(coro)
