import asyncio


async def drain(loop):
    lock = asyncio.Lock(loop=loop)
    async with lock:
        pass
