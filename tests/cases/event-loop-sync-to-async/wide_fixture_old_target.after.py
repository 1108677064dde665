import pytest

from app import connect, fetch


@pytest.fixture(scope="module")
def database(event_loop):
    # loop_scope does not exist before pytest-asyncio 0.24: left alone
    return event_loop.run_until_complete(connect())


@pytest.mark.asyncio
async def test_fetch():
    assert await fetch() == 1
