import pytest

from app import connect, fetch


@pytest.fixture(scope="module")
def database(event_loop):
    # loop_scope does not exist before pytest-asyncio 0.24: left alone
    return event_loop.run_until_complete(connect())


def test_fetch(event_loop):
    assert event_loop.run_until_complete(fetch()) == 1
