pytest_plugins = [
    "aiohttp.pytest_plugin",
    "tests.fixtures.db",
]
PLUGINS = ("aiohttp.pytest_plugin",)
