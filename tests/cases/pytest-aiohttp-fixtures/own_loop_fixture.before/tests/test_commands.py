import asyncio


async def test_ping(loop):
    await asyncio.sleep(0)


def test_sync(loop):
    loop.run_until_complete(asyncio.sleep(0))
