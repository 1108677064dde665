import pytest


def loop(event_loop):
    # Not a fixture: a helper that happens to take the same name.
    return event_loop


@pytest.fixture
def loop_via_request(request):
    return request.getfixturevalue("event_loop")


@pytest.fixture
def clock(event_loop, other_loop):
    return other_loop
