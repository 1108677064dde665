import asyncio


async def pause(loop):
    await asyncio.sleep(0, loop=loop)
