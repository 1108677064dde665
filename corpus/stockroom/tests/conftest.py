import pytest

from stockroom import Store, serve


@pytest.fixture
def store(event_loop):
    store = event_loop.run_until_complete(Store().open())
    yield store
    event_loop.run_until_complete(store.close())


@pytest.fixture
def server(store, event_loop):
    srv = event_loop.run_until_complete(serve(store))
    yield srv.sockets[0].getsockname()[:2]
    srv.close()
    event_loop.run_until_complete(srv.wait_closed())
