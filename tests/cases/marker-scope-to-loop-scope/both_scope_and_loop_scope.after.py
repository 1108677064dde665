import pytest


@pytest.mark.asyncio(loop_scope="module")
async def test_same():
    pass


@pytest.mark.asyncio(scope="session", loop_scope="module")
async def test_conflict():
    pass
