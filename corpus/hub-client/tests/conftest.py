import asyncio

import httpx
import pytest

from hubclient import HubClient


def pytest_ignore_collect(path, config):
    # Scratch files of the maintainers start with an underscore.
    return path.basename.startswith("_")


def pytest_report_header(config, startdir):
    return "hub-client tests in " + startdir.basename


@pytest.fixture(scope="session")
def event_loop():
    """One loop for the whole run, in debug mode to catch slow callbacks."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
    loop.set_debug(True)
    asyncio.set_event_loop(loop)
    yield loop
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


@pytest.fixture
def sent():
    return []


@pytest.fixture
def transport(sent):
    def handler(request):
        sent.append(request)
        return httpx.Response(200, json={"ok": True})

    return httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://hub")


@pytest.yield_fixture
def hub(transport):
    client = HubClient(transport)
    asyncio.get_event_loop().run_until_complete(client.connect())
    yield client
    asyncio.get_event_loop().run_until_complete(client.close())
