import asyncio

import asynctest

from app import service


def ready(*args):
    return asyncio.sleep(0)


class TestPoller(asynctest.TestCase):
    async def test_polls_until_ready(self):
        check = asynctest.CoroutineMock(side_effect=lambda: asyncio.sleep(0))
        await check()
        self.fetch = asynctest.CoroutineMock()
        self.fetch.side_effect = lambda url: service.lookup(url)
        plain = asynctest.CoroutineMock(side_effect=lambda x: x + 1)
        errors = asynctest.CoroutineMock(side_effect=ValueError("no"))
        named = asynctest.CoroutineMock(side_effect=ready)

    @asynctest.patch(
        "app.service.fetch", new=asynctest.CoroutineMock(side_effect=lambda: asyncio.sleep(0))
    )
    async def test_patched(self):
        pass
