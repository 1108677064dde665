import asyncio

import pytest

from app import client, fetch_json


async def native():
    return 1


@asyncio.coroutine
def sleeps():
    yield from asyncio.sleep(0)
    yield from asyncio.wait_for(native(), 1)
    return (yield from native())


@asyncio.coroutine
def calls_a_sibling():
    return (yield from sleeps())


@asyncio.coroutine
def awaits_the_unknown(reader):
    data = yield from reader.read()
    yield from asyncio.sleep(0)
    return (yield from fetch_json(data))


@asyncio.coroutine
def plain():
    return client.get()


@pytest.mark.asyncio
async def test_all():
    assert await sleeps() == 1
