import pytest
import uvloop


@pytest.fixture(scope="session")
def event_loop_policy():
    policy = uvloop.EventLoopPolicy()
    policy.get_event_loop().set_debug(True)
    return policy
