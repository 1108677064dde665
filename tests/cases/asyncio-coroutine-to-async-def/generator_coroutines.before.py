import asyncio
from asyncio import coroutine

import pytest


class FakeConnection:
    # A fake written for Python 3.4.
    @asyncio.coroutine
    def execute(self, query):
        yield from asyncio.sleep(0)
        return [(query,)]

    @staticmethod
    @coroutine
    def close():
        return None


@asyncio.coroutine
def fake_fetch(url):
    status = (yield from asyncio.sleep(0, result=200))
    return status


@pytest.mark.asyncio
async def test_fetch():
    assert await fake_fetch("https://example.org") == 200
    assert await FakeConnection().execute("q") == [("q",)]
