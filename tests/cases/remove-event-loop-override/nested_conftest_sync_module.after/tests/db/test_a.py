import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.mark.asyncio(loop_scope="module")
async def test_one(connection):
    assert connection


class TestGroup:
    pytestmark = pytest.mark.asyncio(loop_scope="module")

    async def test_two(self, row):
        assert row
