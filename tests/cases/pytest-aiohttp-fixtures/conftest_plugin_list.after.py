pytest_plugins = [
    "tests.fixtures.db",
]
PLUGINS = ("aiohttp.pytest_plugin",)
