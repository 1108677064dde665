import pytest


@pytest.fixture
async def value():
    return 1


async def test_value(value):
    assert value == 1
