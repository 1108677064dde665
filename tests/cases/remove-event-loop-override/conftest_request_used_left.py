import asyncio

import pytest


@pytest.fixture(scope="session")
def event_loop(request):
    loop = asyncio.new_event_loop()
    request.addfinalizer(loop.close)
    yield loop
