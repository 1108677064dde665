import pytest


@pytest.mark.asyncio
async def test_app():
    pass
