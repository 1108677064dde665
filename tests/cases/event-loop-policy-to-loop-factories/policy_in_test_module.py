import pytest
import uvloop


@pytest.fixture(scope="module")
def event_loop_policy():
    return uvloop.EventLoopPolicy()


@pytest.mark.asyncio
async def test_on_uvloop():
    pass
