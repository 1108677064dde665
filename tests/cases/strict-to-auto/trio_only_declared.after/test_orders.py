import pytest

from orders import total


@pytest.fixture
def lines():
    return []


async def test_order_total(lines):
    assert await total(lines) == 0
