import asyncio


async def test_queue(loop):
    queue = asyncio.Queue()
    await queue.put(1)
