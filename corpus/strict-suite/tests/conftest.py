import pytest
import pytest_asyncio

from inventory import Item, Store


@pytest_asyncio.fixture
@pytest.mark.asyncio  # "async fixtures need the asyncio mark too", they thought
async def store():
    store = Store()
    await store.connect()
    yield store
    await store.close()


# Added later by someone who did not know strict mode needs @pytest_asyncio.fixture:
# the tests below received a coroutine object instead of a stocked store.
@pytest.fixture
async def stocked(store):
    await store.add(Item("apple", "Apple", 10, 30))
    await store.add(Item("pear", "Pear", 2, 45))
    return store


@pytest.fixture
def prices():
    return {"apple": 30, "pear": 45}
