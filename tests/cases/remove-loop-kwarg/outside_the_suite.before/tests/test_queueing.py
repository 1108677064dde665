import asyncio


async def test_queue(loop):
    queue = asyncio.Queue(loop=loop)
    await queue.put(1)
