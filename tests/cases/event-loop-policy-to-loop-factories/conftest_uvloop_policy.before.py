import pytest
import uvloop


@pytest.fixture(scope="session")
def event_loop_policy():
    """Run the whole suite on uvloop, like production."""
    return uvloop.EventLoopPolicy()


@pytest.fixture
def settings():
    return {"workers": 2}
