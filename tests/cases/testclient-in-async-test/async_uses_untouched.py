import pytest
import pytest_asyncio
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette import testclient

app = FastAPI()


@pytest.fixture
def client():
    with TestClient(app) as c:
        yield c


async def test_builds_one():
    client = TestClient(app)
    assert client.get("/").status_code == 404


@pytest_asyncio.fixture
async def module_client():
    return testclient.TestClient(app)


async def test_requests_the_sync_client(client):
    assert client.get("/").status_code == 404
