import httpx
import respx
import json


@respx.mock
async def test_create():
    route = respx.post("https://api.example/items").mock(return_value=httpx.Response(201))
    async with httpx.AsyncClient() as client:
        await client.post("https://api.example/items", json={"name": "widget", "tags": ["a", "b"]})
    assert json.loads(route.calls.last.request.content) == json.loads(b'{"name": "widget", "tags": ["a", "b"]}')
    assert json.loads(b'{"name": "widget", "tags": ["a", "b"]}') == json.loads(route.calls.last.request.read())


def test_sent(httpx_mock):
    httpx_mock.add_response(match_content=b'{"id": 1, "name": "x"}')
    httpx.post("https://api.example/items", json={"id": 1, "name": "x"})
    assert json.loads(httpx_mock.get_request().content) != json.loads(b'{"id": 2, "name": "x"}')


def test_recorded(sent):
    assert json.loads(sent[-1].content) == json.loads(b'{"command": "on", "device": 3}')
