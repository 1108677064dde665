import inspect

import pytest


def pytest_collection_modifyitems(items):
    # One loop for the whole session, for every coroutine test.
    for item in items:
        if inspect.iscoroutinefunction(getattr(item, "obj", None)):
            item.add_marker(pytest.mark.asyncio(loop_scope="session"))


@pytest.fixture
async def pool():
    return []
