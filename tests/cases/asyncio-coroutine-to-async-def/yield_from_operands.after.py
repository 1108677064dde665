import asyncio

import pytest

from app import client, fetch_json


async def native():
    return 1


async def sleeps():
    await asyncio.sleep(0)
    await asyncio.wait_for(native(), 1)
    return (await native())


async def calls_a_sibling():
    return (await sleeps())


async def awaits_the_unknown(reader):
    data = await reader.read()
    await asyncio.sleep(0)
    return (await fetch_json(data))


async def plain():
    return client.get()


@pytest.mark.asyncio
async def test_all():
    assert await sleeps() == 1
