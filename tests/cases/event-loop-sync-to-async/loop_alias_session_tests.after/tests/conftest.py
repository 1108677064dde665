import pytest
import asyncio
import pytest_asyncio


@pytest_asyncio.fixture(loop_scope="session")
async def loop():
    return asyncio.get_running_loop()
