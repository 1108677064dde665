import asyncio
import asyncio as aio
from asyncio import Queue as WorkQueue, sleep

import pytest


@pytest.mark.asyncio
async def test_apis(event_loop):
    queue = WorkQueue(loop=event_loop)
    lock = asyncio.Lock(loop=event_loop)
    done = aio.Event(loop=event_loop)
    await sleep(0, loop=event_loop)
    await asyncio.wait_for(queue.get(), 1, loop=event_loop)
    results = await asyncio.gather(
        queue.put(1),
        done.wait(),
        loop=event_loop,
        return_exceptions=True,
    )
    reader, writer = await asyncio.open_connection("localhost", 80, loop=event_loop)
    proc = await asyncio.create_subprocess_exec("true", loop=event_loop)
    sem = asyncio.locks.Semaphore(2, loop=event_loop)
    assert results and lock and sem and reader and writer and proc


def make_queue(loop):
    return asyncio.PriorityQueue(loop=loop)
