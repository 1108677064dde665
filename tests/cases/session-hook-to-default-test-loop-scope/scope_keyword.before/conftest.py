"""Every async test shares the module's loop."""
import pytest
import pytest_asyncio


def pytest_collection_modifyitems(session, config, items):
    """Run all asyncio tests of a module in one loop."""
    marker = pytest.mark.asyncio(scope="module")
    tests = [test for test in items if pytest_asyncio.is_async_test(test)]
    for test in tests:
        test.add_marker(marker, append=False)
