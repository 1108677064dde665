import asyncio

import pytest


@pytest.fixture
def loop():
    """The project's own loop fixture: not pytest-aiohttp's."""
    return asyncio.new_event_loop()


@pytest.fixture
def test_client(loop):
    return object()


def test_uses_own(loop, test_client):
    assert loop.run_until_complete(asyncio.sleep(0, 1)) == 1


@pytest.mark.parametrize("unused_port", [8080, 8081])
def test_parametrized(unused_port):
    assert unused_port > 0
