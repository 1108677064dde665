import asyncio

import pytest

from pondpool import request


@pytest.mark.asyncio
async def test_server_shares_the_pool_loop(server, pool):
    # Another module, the same loop: the server and the pool were made in it.
    assert asyncio.get_running_loop() is pool.loop
    assert server.is_serving()


@pytest.mark.asyncio
async def test_set_then_get(address, pool):
    assert asyncio.get_running_loop() is pool.loop
    assert await request(address, "SET colour blue", "GET colour") == ["OK", "blue"]
    assert pool.store["colour"] == "blue"


@pytest.mark.asyncio
async def test_missing_key(address, event_loop, pool):
    assert event_loop is pool.loop
    assert await request(address, "GET nothing-here") == ["NIL"]


def test_ping_from_sync_code(address, event_loop):
    assert event_loop.run_until_complete(request(address, "PING")) == ["PONG"]


@pytest.mark.asyncio
async def test_seeded_key_over_the_wire(address, seeded):
    assert await request(address, f"GET {seeded}") == ["hello"]
