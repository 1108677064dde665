import pytest


def pick_scope(fixture_name, config):
    return "session"


@pytest.fixture(scope=pick_scope)
async def dynamic():
    return 1
