import asyncio

import pytest
import pytest_asyncio

from feedsync import FeedStore, RateLimiter


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def feed_store():
    # anyio's plugin runs this fixture for the anyio tests, in the test's own loop.
    store = FeedStore()
    store.loop = asyncio.get_running_loop()
    await store.open()
    yield store
    await store.close()


@pytest_asyncio.fixture
async def limiter():
    return RateLimiter(rate=1000, burst=5)


@pytest.fixture
async def warm_limiter(limiter):
    # Meant to pre-spend a token; in strict mode its test got a coroutine instead.
    await limiter.acquire()
    return limiter
