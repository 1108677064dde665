import pytest

pytestmark = pytest.mark.asyncio


@pytest.mark.asyncio
async def test_kept():
    assert True
