import asyncio

import pytest


@pytest.mark.asyncio
async def test_replica_lives_in_this_module_loop(replica):
    assert asyncio.get_running_loop() is replica.loop
    async with replica.acquire() as connection:
        assert await connection.execute("SET", "replicated", "yes") == "OK"


@pytest.mark.asyncio
async def test_replica_keeps_state_within_the_module(replica_connection, replica):
    # A function-scoped async fixture ran in the module loop too (as under the override).
    assert asyncio.get_running_loop() is replica.loop
    assert await replica_connection.execute("GET", "replicated") == "yes"


def test_replica_stats_from_sync_code(replica, event_loop):
    stats = event_loop.run_until_complete(replica.stats())
    assert stats == {"size": 1, "idle": 1, "acquired": 2}
