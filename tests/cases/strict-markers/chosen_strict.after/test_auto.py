import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def value():
    return 1


@pytest.mark.asyncio
async def test_value(value):
    assert value == 1
