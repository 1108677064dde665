import asyncio

import pytest
from pytest import mark

from shop.cart import Cart

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]


@pytest.mark.asyncio
async def test_add_item():
    cart = Cart()
    await cart.add("apple")
    assert cart.items == ["apple"]


# the checkout talks to the payment stub
@mark.asyncio()
@pytest.mark.parametrize("count", [1, 2])
async def test_checkout(count):
    await asyncio.sleep(0)
    assert count


@pytest.mark.asyncio
class TestCart:
    pytestmark = pytest.mark.asyncio

    async def test_empty(self):
        assert Cart().items == []


@pytest.mark.asyncio(loop_scope="module")
async def test_module_loop():
    await asyncio.sleep(0)


def test_sync():
    assert Cart().items == []
