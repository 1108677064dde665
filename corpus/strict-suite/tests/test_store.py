import pytest

from inventory import Item, OutOfStock

pytestmark = pytest.mark.asyncio


async def test_connects(store):
    assert store.connected


async def test_add_and_get(store):
    await store.add(Item("plum", "Plum", 5, 20))
    item = await store.get("plum")
    assert item is not None and item.quantity == 5


async def test_take_too_many(store):
    await store.add(Item("fig", "Fig", 1, 99))
    with pytest.raises(OutOfStock):
        await store.take("fig", 2)


async def test_stocked_store_available(stocked):
    # Only a smoke test: it "passed" with the coroutine object for years.
    assert stocked is not None

