from fastapi import FastAPI
from fastapi.testclient import TestClient

app = FastAPI()


async def test_websocket_echo():
    client = TestClient(app)
    with client.websocket_connect("/ws") as websocket:
        websocket.send_text("hi")
        assert websocket.receive_text() == "hi"


async def test_websocket_in_with():
    with TestClient(app) as client:
        with client.websocket_connect("/ws") as websocket:
            assert websocket.receive_json() == {"ok": True}


async def test_websocket_and_http():
    client = TestClient(app)
    assert client.get("/").status_code == 404
    with client.websocket_connect("/ws") as websocket:
        assert websocket.receive_text()
