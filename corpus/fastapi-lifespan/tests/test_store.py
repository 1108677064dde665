import pytest

from inventory_api.store import InventoryStore, StoreClosedError


@pytest.fixture
async def store():
    store = InventoryStore()
    await store.open()
    yield store
    await store.close()


async def test_put_and_get(store):
    await store.put("A-1", "anvil", 1)
    assert (await store.get("A-1")).name == "anvil"


async def test_adjust_below_zero_is_refused(store):
    await store.put("A-1", "anvil", 1)
    with pytest.raises(ValueError):
        await store.adjust("A-1", -2)


async def test_closed_store_refuses_work():
    store = InventoryStore()
    with pytest.raises(StoreClosedError):
        await store.all()
