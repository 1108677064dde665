import asyncio


def make_queue(loop):
    return asyncio.PriorityQueue(loop=loop)
