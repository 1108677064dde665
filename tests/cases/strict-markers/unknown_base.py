from aiohttp.test_utils import AioHTTPTestCase

from tests.marks import ASYNC  # a mark kept in a variable

pytestmark = ASYNC


class TestServer(AioHTTPTestCase):
    async def test_index(self):
        assert True
