import asyncio

import pytest

pytestmark = [pytest.mark.asyncio(scope="module"), pytest.mark.filterwarnings("ignore")]


async def test_runs_every_job(queue):
    async def double(x):
        await asyncio.sleep(0)
        return 2 * x

    for i in range(5):
        queue.submit(f"job{i}", lambda i=i: double(i))
    assert await queue.run_all() == [0, 2, 4, 6, 8]
    assert all(job.done for job in queue.jobs)


async def test_concurrency_is_bounded(queue):
    running = 0
    peak = 0

    async def work():
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1

    for i in range(6):
        queue.submit(f"w{i}", work)
    await queue.run_all()
    assert peak == queue.concurrency
