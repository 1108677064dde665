import threading

import pytest

from app import Pool, fetch


@pytest.fixture
def local_alias(event_loop):
    loop = event_loop
    return Pool(loop.run_until_complete(fetch()))


@pytest.fixture
def in_thread(event_loop):
    thread = threading.Thread(target=event_loop.run_forever)
    thread.start()
    yield Pool(event_loop)
    event_loop.call_soon_threadsafe(event_loop.stop)


@pytest.fixture
def driven_later(event_loop):
    pool = Pool(event_loop)
    pool.run = lambda coro: event_loop.run_until_complete(coro)
    return pool


@pytest.fixture
def stopped(event_loop):
    pool = Pool(event_loop)
    yield pool
    event_loop.stop()


@pytest.fixture
def spread(event_loop):
    return Pool(*event_loop)


@pytest.mark.asyncio
async def test_acquire(local_alias, in_thread, driven_later, stopped, spread):
    assert local_alias
