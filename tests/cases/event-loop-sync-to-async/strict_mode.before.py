import pytest
from pytest import fixture

from app import Server, connect, fetch


def test_fetch(event_loop):
    result = event_loop.run_until_complete(fetch())
    assert result == 1
    assert event_loop.run_until_complete(fetch()).status == 200
    data = event_loop.run_until_complete(
        # a comment inside the call is kept
        fetch("/data")
    )
    assert data


@pytest.fixture
def server(event_loop):
    srv = event_loop.run_until_complete(Server.start())
    yield srv
    event_loop.run_until_complete(srv.stop())


@fixture(scope="module", autouse=True)
def database(event_loop):
    return event_loop.run_until_complete(connect())


class TestClass:
    pytestmark = pytest.mark.asyncio(loop_scope="class")

    def test_in_class(self, event_loop):
        for path in ("/a", "/b"):
            event_loop.run_until_complete(fetch(path))
