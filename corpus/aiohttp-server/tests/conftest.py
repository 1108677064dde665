import pytest

from notes_service import create_app

# Written for aiohttp 2.x, when the test fixtures lived in aiohttp's own plugin; the line
# stayed when the project started installing pytest-aiohttp.
pytest_plugins = "aiohttp.pytest_plugin"


@pytest.fixture
def cli(loop, test_client):
    # A synchronous fixture driving the plugin's loop, the style of the aiohttp 2 docs.
    return loop.run_until_complete(test_client(create_app()))


@pytest.fixture
def seeded(loop, cli):
    for text, tags in [("buy milk", ["home"]), ("ship 1.4", ["work"]), ("call bob", ["home"])]:
        resp = loop.run_until_complete(cli.post("/notes", json={"text": text, "tags": tags}))
        assert resp.status == 201
    return cli
