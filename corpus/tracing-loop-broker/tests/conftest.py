import pytest
from pytest_asyncio import is_async_test

from tracebroker import Broker, TracingPolicy


def pytest_collection_modifyitems(items):
    pytest_asyncio_tests = (item for item in items if is_async_test(item))
    session_scope_marker = pytest.mark.asyncio(loop_scope="session")
    for async_test in pytest_asyncio_tests:
        async_test.add_marker(session_scope_marker, append=False)


@pytest.fixture(scope="session")
def event_loop_policy():
    """Test on the loop production runs on."""
    return TracingPolicy()


@pytest.fixture(scope="session")
async def broker():
    broker = await Broker().start()
    yield broker
    await broker.stop()
