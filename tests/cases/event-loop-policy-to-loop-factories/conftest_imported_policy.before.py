import pytest
from uvloop import EventLoopPolicy


@pytest.fixture(scope="session")
def event_loop_policy():
    return EventLoopPolicy()
