import pytest

from shop.app import create_app

# aiohttp 2.x shipped the fixtures in its own plugin
pytest_plugins = "aiohttp.pytest_plugin"


@pytest.fixture
def app():
    return create_app()
