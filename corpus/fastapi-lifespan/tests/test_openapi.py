from fastapi.testclient import TestClient

from inventory_api.main import app


def test_items_through_the_sync_client():
    # TestClient runs the lifespan itself when used as a context manager.
    with TestClient(app) as client:
        assert client.post("/items", json={"sku": "S-1", "name": "saw"}).status_code == 201
        assert client.get("/items/S-1").json()["name"] == "saw"


async def test_openapi_schema_lists_the_routes():
    # Copied from a sync test into an async module; works, but blocks the test's loop.
    client = TestClient(app)
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) == {"/version", "/items", "/items/{sku}", "/items/{sku}/adjust"}
