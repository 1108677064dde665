import asyncio

import pytest


async def test_pool_runs_on_the_session_loop(pool):
    assert pool.loop is asyncio.get_running_loop()


async def test_writes_go_through_the_lock(pool):
    order = []

    async def write(name):
        async with pool.writing() as connection:
            order.append(f"{name} start")
            await asyncio.sleep(0.01)
            order.append(f"{name} end")
            return connection.number

    await asyncio.gather(write("a"), write("b"))
    assert order == ["a start", "a end", "b start", "b end"]


async def test_a_third_acquire_waits_for_a_free_connection(pool):
    async with pool.acquire(), pool.acquire():
        assert pool.idle == 0
        waiting = asyncio.ensure_future(_acquire_once(pool))
        await asyncio.sleep(0.01)
        assert not waiting.done()
    assert await asyncio.wait_for(waiting, 1) is True


async def _acquire_once(pool):
    async with pool.acquire():
        return True


async def test_rows_written_here_are_served_by_the_api(pool, client):
    key = await pool.insert("notes", {"title": "from the pool", "body": ""})
    response = await client.get(f"/notes/{key}")
    assert response.json()["title"] == "from the pool"


@pytest.mark.parametrize("table", ["notes", "tags"])
async def test_tables_start_empty(pool, table):
    async with pool.acquire() as connection:
        assert await connection.fetch_all(table) == []
