import asyncio

import aiohttp
import pytest

from app import gather, sleep


async def test_still_take_a_loop(event_loop):
    fut = asyncio.ensure_future(asyncio.sleep(0), loop=event_loop)
    other = asyncio.run_coroutine_threadsafe(asyncio.sleep(0), loop=event_loop)
    wrapped = asyncio.wrap_future(other, loop=event_loop)
    future = asyncio.Future(loop=event_loop)
    task = asyncio.Task(asyncio.sleep(0), loop=event_loop)
    reader = asyncio.StreamReader(loop=event_loop)
    await gather(fut, loop=event_loop)
    await sleep(0, loop=event_loop)
    session = aiohttp.ClientSession(loop=event_loop)
    assert wrapped and future and task and reader and session


def test_loop_argument_is_gone(event_loop):
    with pytest.raises(TypeError):
        asyncio.Lock(loop=event_loop)
    with pytest.warns(DeprecationWarning):
        asyncio.sleep(0, loop=event_loop)
