import pytest

from feedsync import RateLimiter


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.mark.asyncio
async def test_acquire_spends_a_token(limiter):
    await limiter.acquire()
    assert limiter.acquired == 1
    assert limiter.tokens == pytest.approx(4, abs=0.1)


@pytest.mark.asyncio
async def test_warm_limiter_is_ready(warm_limiter):
    assert warm_limiter is not None


# Never marked: pytest 7 skipped it with a warning.
async def test_burst_is_capped():
    clock = FakeClock()
    limiter = RateLimiter(rate=1, burst=2, clock=clock)
    await limiter.acquire()
    await limiter.acquire()
    clock.now = 100.0
    limiter._refill()
    assert limiter.tokens == 2


class TestRefill:
    @pytest.mark.asyncio
    async def test_refills_over_time(self):
        clock = FakeClock()
        limiter = RateLimiter(rate=2, burst=2, clock=clock)
        await limiter.acquire()
        clock.now = 0.5
        limiter._refill()
        assert limiter.tokens == pytest.approx(2)

    async def test_waits_for_a_token(self):
        limiter = RateLimiter(rate=1000, burst=1)
        await limiter.acquire()
        await limiter.acquire()
        assert limiter.acquired == 2
