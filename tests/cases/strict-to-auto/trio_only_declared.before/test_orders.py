import pytest

from orders import total

pytestmark = pytest.mark.asyncio


@pytest.fixture
def lines():
    return []


async def test_order_total(lines):
    assert await total(lines) == 0
