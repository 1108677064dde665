import asyncio

import pytest

from app import fetch, reset


def test_sync_may_run():
    assert asyncio.run(fetch()) == 1


@pytest.mark.asyncio
async def test_expects_the_error():
    with pytest.raises(RuntimeError):
        asyncio.run(reset())
    try:
        asyncio.get_event_loop().run_until_complete(reset())
    except RuntimeError:
        pass


@pytest.mark.asyncio
async def test_other_loops(runner):
    other = asyncio.new_event_loop()
    other.run_until_complete(fetch())
    runner.loop.run_until_complete(fetch())
    asyncio.run(fetch(), debug=True)
    later = lambda: asyncio.run(reset())

    def sync_callback():
        asyncio.run(reset())

    assert later and sync_callback


async def helper():
    # not a test or fixture: reported, its callers decide
    asyncio.run(reset())


class Runner:
    def run(self, coro):
        return coro


@pytest.mark.asyncio
async def test_method_named_run():
    Runner().run(fetch())
