import pytest

from app import Server, fetch


def test_fetch(event_loop):
    assert event_loop.run_until_complete(fetch()) == 1


@pytest.fixture
def server(event_loop):
    srv = event_loop.run_until_complete(Server.start())
    yield srv
    event_loop.run_until_complete(srv.stop())


@pytest.fixture(scope="session")
def shared(event_loop):
    return event_loop.run_until_complete(Server.start())
