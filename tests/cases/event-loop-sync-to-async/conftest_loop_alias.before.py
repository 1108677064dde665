import pytest


@pytest.fixture
def loop(event_loop):
    return event_loop


@pytest.fixture(name="io_loop")
def io_loop_fixture(event_loop):
    """The loop the tests run in, under the name the old suite used."""
    yield event_loop


@pytest.fixture
def short_loop(event_loop): return event_loop


@pytest.fixture
def loop_and_port(event_loop, unused_tcp_port):
    return event_loop
