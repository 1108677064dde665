import pytest


@pytest.mark.anyio
async def test_sleep():
    pass
