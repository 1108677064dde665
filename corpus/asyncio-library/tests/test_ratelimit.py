import asyncio

import pytest

from feedpoll import RateLimiter


@pytest.mark.asyncio(scope="module")
async def test_burst_is_served_at_once(clock):
    limiter = RateLimiter(rate=1, burst=3, clock=clock)
    for _ in range(3):
        await asyncio.wait_for(limiter.acquire(), 0.5)
    assert limiter.tokens < 1


@pytest.mark.asyncio(scope="module")
async def test_refills_with_time(clock):
    limiter = RateLimiter(rate=2, burst=2, clock=clock)
    await limiter.acquire()
    await limiter.acquire()
    clock.now += 0.5
    assert limiter.tokens == pytest.approx(1.0)


@pytest.mark.asyncio(scope="module")
async def test_waits_when_empty():
    limiter = RateLimiter(rate=50, burst=1)
    await limiter.acquire()
    started = asyncio.get_running_loop().time()
    await limiter.acquire()
    assert asyncio.get_running_loop().time() - started >= 0.015


def test_tokens_never_exceed_the_burst(clock):
    limiter = RateLimiter(rate=100, burst=2, clock=clock)
    clock.now += 60
    assert limiter.tokens == 2
