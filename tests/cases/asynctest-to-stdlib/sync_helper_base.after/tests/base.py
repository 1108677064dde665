import asyncio
import unittest


class LoopCase(unittest.IsolatedAsyncioTestCase):
    def run_sync(self, coro):
        # A sync helper driving the test's loop: no running loop to ask for after migration.
        return asyncio.get_event_loop().run_until_complete(coro)
