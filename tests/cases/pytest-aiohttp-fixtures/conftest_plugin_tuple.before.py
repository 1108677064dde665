import pytest

pytest_plugins = ("tests.fixtures.db", "aiohttp.pytest_plugin")


@pytest.fixture
def settings():
    return {}
