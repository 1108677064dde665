import asyncio

import inspect
import unittest
from unittest import mock

from app import service


def ready(*args):
    return asyncio.sleep(0)


async def awaiting_side_effect_4():
    return await asyncio.sleep(0)


class TestPoller(unittest.IsolatedAsyncioTestCase):
    async def test_polls_until_ready(self):
        async def awaiting_side_effect():
            return await asyncio.sleep(0)
        check = mock.AsyncMock(side_effect=awaiting_side_effect)
        await check()
        self.fetch = mock.AsyncMock(return_value=mock.MagicMock())
        async def awaiting_side_effect_2(url):
            result = service.lookup(url)
            return (await result) if inspect.isawaitable(result) else result
        self.fetch.side_effect = awaiting_side_effect_2
        plain = mock.AsyncMock(side_effect=lambda x: x + 1)
        errors = mock.AsyncMock(side_effect=ValueError("no"))
        async def awaiting_side_effect_3(*args, **kwargs):
            return await ready(*args, **kwargs)
        named = mock.AsyncMock(side_effect=awaiting_side_effect_3)

    @mock.patch(
        "app.service.fetch", new=mock.AsyncMock(side_effect=awaiting_side_effect_4)
    )
    async def test_patched(self):
        pass
