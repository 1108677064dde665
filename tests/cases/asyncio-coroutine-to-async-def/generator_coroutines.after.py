import asyncio

import pytest


class FakeConnection:
    # A fake written for Python 3.4.
    async def execute(self, query):
        await asyncio.sleep(0)
        return [(query,)]

    @staticmethod
    async def close():
        return None


async def fake_fetch(url):
    status = (await asyncio.sleep(0, result=200))
    return status


@pytest.mark.asyncio
async def test_fetch():
    assert await fake_fetch("https://example.org") == 200
    assert await FakeConnection().execute("q") == [("q",)]
