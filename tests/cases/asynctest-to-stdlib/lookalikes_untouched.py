"""No asynctest here: names that look like it but resolve elsewhere."""
import unittest
from unittest import mock

from tests.helpers import asynctest_compat as asynctest


class TestLooksAlike(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.loop_name = "self.loop"
        self.m = mock.AsyncMock()

    async def setUp_later(self):
        return self.loop  # not an asynctest.TestCase: no self.loop rewrite

    async def test_x(self):
        helper = asynctest.CoroutineMock  # a project module that happens to be named so
        self.assertTrue(helper)


class CoroutineMock(mock.MagicMock):
    pass


class Plain(unittest.TestCase):
    use_default_loop = True

    def test_patch(self):
        with mock.patch("os.getcwd", new=CoroutineMock()):
            pass
