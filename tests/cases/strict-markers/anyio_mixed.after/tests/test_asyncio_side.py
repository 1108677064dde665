import pytest


@pytest.mark.asyncio
async def test_marked(cache):
    assert cache == {}


@pytest.mark.asyncio
async def test_unmarked(cache):
    assert cache == {}
