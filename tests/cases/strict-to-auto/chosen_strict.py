import pytest

pytestmark = pytest.mark.asyncio


@pytest.mark.asyncio
async def test_kept_because_strict_was_chosen():
    assert True
