import pytest

pytestmark = pytest.mark.asyncio


async def test_asyncio_side():
    assert True
