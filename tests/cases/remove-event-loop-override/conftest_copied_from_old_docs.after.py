import pytest


@pytest.fixture
def config():
    return {"debug": False}
