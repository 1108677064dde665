import asyncio

import pytest

from stockroom import OutOfStock, Store


def test_add_and_count(store, event_loop):
    assert event_loop.run_until_complete(store.add("apple")) == 1
    event_loop.run_until_complete(store.add("apple", 2))
    assert event_loop.run_until_complete(store.count("apple")) == 3


def test_reserve_sync_style(store, event_loop):
    event_loop.run_until_complete(store.add("pear", 2))
    # Code of the time mixed the fixture with the current loop: the same loop in 0.21.
    assert asyncio.get_event_loop().run_until_complete(store.reserve("pear")) == 1
    with pytest.raises(OutOfStock):
        event_loop.run_until_complete(store.reserve("pear", 5))


def test_fresh_store_is_empty():
    store = asyncio.get_event_loop().run_until_complete(Store().open())
    assert store.feed.empty()


def test_count_of_unknown_item():
    loop = asyncio.get_event_loop()
    assert loop.run_until_complete(Store().open()).closed is False


def test_restock_in_steps():
    # One store across several runs: they must all use the loop it was opened on.
    loop = asyncio.get_event_loop()
    store = loop.run_until_complete(Store().open())
    for count in (1, 2):
        loop.run_until_complete(store.add("melon", count))
    assert loop.run_until_complete(store.count("melon")) == 3


@pytest.mark.asyncio
async def test_feed_reports_changes(store, event_loop):
    watcher = event_loop.create_task(store.feed.get())
    await store.add("plum", 4)
    assert await asyncio.wait_for(watcher, 1, loop=event_loop) == ("plum", 4)


@pytest.mark.asyncio
async def test_concurrent_reservations(store, event_loop):
    await store.add("fig", 3)
    results = await asyncio.gather(
        *(store.reserve("fig") for _ in range(4)),
        loop=event_loop,
        return_exceptions=True,
    )
    assert sorted(r for r in results if isinstance(r, int)) == [0, 1, 2]
    assert sum(isinstance(r, OutOfStock) for r in results) == 1


@pytest.mark.asyncio
async def test_store_runs_in_the_test_loop(store):
    loop = asyncio.get_event_loop()
    assert loop.is_running()
    assert await loop.run_in_executor(None, sorted, [3, 1, 2]) == [1, 2, 3]
