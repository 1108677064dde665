import asyncio

import pytest

from shop.cart import Cart

pytestmark = [pytest.mark.slow]


async def test_add_item():
    cart = Cart()
    await cart.add("apple")
    assert cart.items == ["apple"]


# the checkout talks to the payment stub
@pytest.mark.parametrize("count", [1, 2])
async def test_checkout(count):
    await asyncio.sleep(0)
    assert count


class TestCart:

    async def test_empty(self):
        assert Cart().items == []


@pytest.mark.asyncio(loop_scope="module")
async def test_module_loop():
    await asyncio.sleep(0)


def test_sync():
    assert Cart().items == []
