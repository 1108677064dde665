import httpx


def test_plain_text_and_compact_json(httpx_mock):
    request = httpx_mock.get_request()
    assert request.content == b'{"id":1}'
    assert request.content == b"name=widget, size=2"
    assert request.url == "https://api.example/{id: 1}"
    assert httpx.Response(200, json={"a": 1}).status_code == 200
