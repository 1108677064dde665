import json

import httpx
from starlette.testclient import TestClient

from shop.app import app

client = TestClient(app)


def test_sent_as_content():
    response = client.post("/echo", content='{"a": "123"}')
    assert response.json() == {"body": '{"a": "123"}'}


def test_other_payload():
    response = client.post("/echo", json={"a": 123})
    assert response.json() == {"body": '{"a": "123"}'}


def test_payload_assigned_twice():
    payload = {"a": "123"}
    if client.app_state:
        payload = {"a": "456"}
    response = client.post("/echo", json=payload)
    assert response.json() == {"body": '{"a": "123"}'}


def test_not_compared():
    response = client.post("/echo", json={"a": "123"})
    expected = {"body": '{"a": "123"}'}
    assert response.status_code == 200 and expected


def test_parsed_inside_a_call():
    response = client.post("/echo", json={"a": "123"})
    assert json.loads(response.json()["body"]) == json.loads('{"a": "123"}')


def test_already_compact():
    response = client.post("/echo", json={"a": "123"})
    assert response.json() == {"body": '{"a":"123"}'}


def test_ordered_comparison():
    response = client.post("/echo", json={"a": "123"})
    assert response.json()["body"] < '{"a": "123"}'


def test_sent_elsewhere():
    response = httpx.get("https://example.test/echo")
    assert response.json() == {"body": '{"a": "123"}'}


EXPECTED = {"body": '{"a": "123"}'}


def helper_payload():
    return client.post("/echo", json={"a": "123"})


def test_payload_in_another_function():
    assert helper_payload().json() == {"body": '{"a": "123"}'}
