import pytest


@pytest.mark.asyncio
async def test_asyncio_side():
    assert True


@pytest.mark.anyio
async def test_anyio_side():
    assert True
