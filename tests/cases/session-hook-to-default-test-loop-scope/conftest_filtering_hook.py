import pytest
from pytest_asyncio import is_async_test


def pytest_collection_modifyitems(items):
    session_scope_marker = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if is_async_test(item) and "integration" in item.nodeid:
            item.add_marker(session_scope_marker, append=False)
