import asyncio

import pytest

from inventory import TTLCache


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


@pytest.mark.asyncio
class TestTTLCache:
    async def test_hit_after_load(self, clock):
        cache = TTLCache(ttl=10, clock=clock)

        async def load(key):
            return key.upper()

        assert await cache.get_or_load("a", load) == "A"
        assert await cache.get_or_load("a", load) == "A"
        assert cache.misses == 1

    async def test_expiry(self, clock):
        cache = TTLCache(ttl=10, clock=clock)

        async def load(key):
            await asyncio.sleep(0)
            return clock.now

        assert await cache.get_or_load("k", load) == 0.0
        clock.now = 11.0
        assert await cache.get_or_load("k", load) == 11.0


@pytest.mark.asyncio
@pytest.mark.parametrize("keys, misses", [(["a", "a"], 1), (["a", "b", "a"], 2)])
async def test_misses(clock, keys, misses):
    cache = TTLCache(ttl=10, clock=clock)

    async def load(key):
        return key

    for key in keys:
        await cache.get_or_load(key, load)
    assert cache.misses == misses


# The marker was forgotten: pytest 7 skipped this test with a warning nobody read.
async def test_invalidate(clock):
    cache = TTLCache(ttl=10, clock=clock)

    async def load(key):
        return len(cache)

    await cache.get_or_load("x", load)
    cache.invalidate("x")
    assert len(cache) == 0
    assert await cache.get_or_load("x", load) == 0


@pytest.mark.asyncio
def test_empty_cache_has_no_entries():
    assert len(TTLCache(ttl=1)) == 0
