import pytest

from shop.app import create_app

pytest_plugins = "aiohttp.pytest_plugin"


@pytest.fixture
def app():
    return create_app()
