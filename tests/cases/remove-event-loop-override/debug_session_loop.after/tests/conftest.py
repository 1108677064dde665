import asyncio

import pytest


@pytest.fixture(scope="session")
async def ticker():
    yield asyncio.get_running_loop()
