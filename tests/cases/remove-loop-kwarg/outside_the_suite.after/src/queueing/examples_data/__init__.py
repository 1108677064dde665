import asyncio


def make_event(loop):
    return asyncio.Event(loop=loop)
