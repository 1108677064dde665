import pytest


@pytest.fixture
def settings():
    return {"retries": 3}
