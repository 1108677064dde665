import asyncio

import pytest

from pondpool import WrongLoopError


@pytest.mark.asyncio
async def test_pool_lives_in_this_loop(pool):
    # The whole suite shares the session loop the pool was opened in.
    assert asyncio.get_running_loop() is pool.loop
    async with pool.acquire() as connection:
        assert await connection.execute("SET", "a", "1") == "OK"
        assert await connection.execute("GET", "a") == "1"


@pytest.mark.asyncio
async def test_concurrent_acquire(pool, event_loop):
    assert event_loop is pool.loop

    async def use(key):
        async with pool.acquire() as connection:
            await asyncio.sleep(0.01)
            return await connection.execute("SET", key, "x")

    tasks = [event_loop.create_task(use(f"k{i}")) for i in range(6)]
    assert await asyncio.gather(*tasks) == ["OK"] * 6
    assert (await pool.stats())["idle"] == pool.size


def test_stats_from_sync_code(pool, event_loop):
    stats = event_loop.run_until_complete(pool.stats())
    assert stats["size"] == 3
    assert stats["idle"] == 3


@pytest.mark.asyncio
async def test_seeded_key(pool, seeded):
    assert asyncio.get_running_loop() is pool.loop
    async with pool.acquire() as connection:
        assert await connection.execute("GET", seeded) == "hello"


def test_pool_refuses_another_loop(pool):
    # What a test on the wrong loop would see.
    async def stats():
        return await pool.stats()

    with pytest.raises(WrongLoopError):
        asyncio.run(stats())
