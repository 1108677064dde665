import pytest
from httpx import ASGITransport, WSGITransport, AsyncClient, Client

from app.main import app, wsgi_app


@pytest.fixture
async def client():
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as c:
        yield c


def test_wsgi():
    with Client(transport=WSGITransport(app=wsgi_app), base_url="http://test") as c:
        assert c.get("/").status_code == 200


async def make_client(**extra):
    # a helper with the app last and a trailing comma
    return AsyncClient(
        base_url="http://test",
        headers={"x-token": "t"},
        transport=ASGITransport(app=app),
    )
