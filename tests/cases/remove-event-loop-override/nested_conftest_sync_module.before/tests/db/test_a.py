import pytest


@pytest.mark.asyncio
async def test_one(connection):
    assert connection


class TestGroup:
    pytestmark = pytest.mark.asyncio

    async def test_two(self, row):
        assert row
