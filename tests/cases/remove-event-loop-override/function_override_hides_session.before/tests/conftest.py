import pytest


@pytest.fixture
def event_loop():
    """Each test of this directory gets its own loop again."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
