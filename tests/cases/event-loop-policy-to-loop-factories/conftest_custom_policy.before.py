import pytest

from myservice.loops import TracingPolicy


@pytest.fixture(scope="session")
def event_loop_policy():
    return TracingPolicy()
