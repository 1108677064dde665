import asyncio
import asyncio as aio
from asyncio import Queue as WorkQueue, sleep

import pytest


@pytest.mark.asyncio
async def test_apis(event_loop):
    queue = WorkQueue()
    lock = asyncio.Lock()
    done = aio.Event()
    await sleep(0)
    await asyncio.wait_for(queue.get(), 1)
    results = await asyncio.gather(
        queue.put(1),
        done.wait(),
        return_exceptions=True,
    )
    reader, writer = await asyncio.open_connection("localhost", 80)
    proc = await asyncio.create_subprocess_exec("true")
    sem = asyncio.locks.Semaphore(2)
    assert results and lock and sem and reader and writer and proc


def make_queue(loop):
    return asyncio.PriorityQueue()
