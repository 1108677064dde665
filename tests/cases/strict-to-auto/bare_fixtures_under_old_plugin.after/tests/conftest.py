import pytest


@pytest.fixture
async def relay():
    return {"open": True}
