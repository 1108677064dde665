import pytest

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]


async def test_three(connection):
    assert connection
