import pytest
from starlette.testclient import TestClient

from shop.app import app


@pytest.fixture
def client():
    return TestClient(app)


def test_echo(client):
    response = client.post("/echo", json={"a": "123"})
    assert response.json() == {"body": '{"a":"123"}', "length": 12}


def test_echo_named_payload(client):
    payload = {"items": [1, 2], "note": "café"}
    response = client.put("/echo", json=payload)
    assert response.json() == {
        "method": "PUT",
        "body": '{"items":[1,2],"note":"café"}',
    }


def test_echo_bytes_and_lists(client):
    response = client.post("/echo/raw", json=[{"id": 1}, {"id": 2}])
    assert response.json()["body"] == '[{"id":1},{"id":2}]'
    assert [b'[{"id":1},{"id":2}]'] != [response.content]


def test_echo_quotes(client):
    response = client.post("/echo", json={"say": "it's"})
    assert response.json() == {"body": '{"say":"it\'s"}'}
