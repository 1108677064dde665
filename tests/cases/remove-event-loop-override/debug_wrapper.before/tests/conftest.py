import pytest


@pytest.fixture
def event_loop(event_loop):
    event_loop.set_debug(True)
    yield event_loop
