async def test_version_needs_no_startup(bare_client):
    resp = await bare_client.get("/version")
    assert resp.status_code == 200
    assert resp.json() == {"version": "2.3.0"}


async def test_create_and_fetch(client):
    resp = await client.post("/items", json={"sku": "A-1", "name": "anvil", "quantity": 3})
    assert resp.status_code == 201
    resp = await client.get("/items/A-1")
    assert resp.json() == {"sku": "A-1", "name": "anvil", "quantity": 3}


async def test_listing_is_sorted(client):
    for sku in ("C-3", "A-1", "B-2"):
        await client.post("/items", json={"sku": sku, "name": sku.lower()})
    resp = await client.get("/items")
    assert [i["sku"] for i in resp.json()] == ["A-1", "B-2", "C-3"]


async def test_adjust_stock(client):
    await client.post("/items", json={"sku": "R-9", "name": "rope", "quantity": 5})
    resp = await client.post("/items/R-9/adjust", json={"delta": -2})
    assert resp.json()["quantity"] == 3
    resp = await client.post("/items/R-9/adjust", json={"delta": -4})
    assert resp.status_code == 409
    assert resp.json()["detail"] == "only 3 of R-9 in stock"


async def test_unknown_item(client):
    resp = await client.get("/items/NOPE")
    assert resp.status_code == 404
    resp = await client.post("/items/NOPE/adjust", json={"delta": 1})
    assert resp.status_code == 404


async def test_each_test_gets_a_fresh_store(client):
    resp = await client.get("/items")
    assert resp.json() == []
