import pytest

pytestmark = [pytest.mark.slow]


async def test_three(connection):
    assert connection
