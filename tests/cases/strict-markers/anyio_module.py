import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
async def stream():
    return object()


async def test_stream(stream):
    assert stream is not None


def test_sync():
    assert True
