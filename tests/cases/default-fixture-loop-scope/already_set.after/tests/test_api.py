import pytest


@pytest.fixture
async def client():
    return object()


async def test_client(client):
    assert client
