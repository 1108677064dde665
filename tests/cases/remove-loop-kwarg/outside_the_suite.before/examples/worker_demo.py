import asyncio


async def main(loop):
    queue = asyncio.Queue(loop=loop)
    await queue.put("job")
