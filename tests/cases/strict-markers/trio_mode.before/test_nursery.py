import pytest
import trio


@pytest.fixture
async def nursery_value():
    await trio.sleep(0)
    return 1


async def test_runs_under_trio(nursery_value):
    assert nursery_value == 1
