import pytest

pytest_plugins = ("tests.fixtures.db",)


@pytest.fixture
def settings():
    return {}
