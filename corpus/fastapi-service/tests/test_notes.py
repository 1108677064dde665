import asyncio


async def test_health_reports_the_idle_connections(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "idle_connections": 2}


async def test_create_then_read(client):
    created = await client.post("/notes", json={"title": "groceries", "body": "eggs"})
    assert created.status_code == 201
    note = created.json()
    assert note["title"] == "groceries"

    fetched = await client.get(f"/notes/{note['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == note


async def test_list_is_ordered_by_id(client):
    for title in ("first", "second", "third"):
        await client.post("/notes", json={"title": title})
    response = await client.get("/notes")
    assert [n["title"] for n in response.json()] == ["first", "second", "third"]


async def test_missing_note_is_404(client):
    response = await client.get("/notes/999")
    assert response.status_code == 404
    assert response.json() == {"detail": "note not found"}


async def test_delete(client):
    note = (await client.post("/notes", json={"title": "old"})).json()
    assert (await client.delete(f"/notes/{note['id']}")).status_code == 204
    assert (await client.get(f"/notes/{note['id']}")).status_code == 404
    assert (await client.delete(f"/notes/{note['id']}")).status_code == 404


async def test_validation_error(client):
    response = await client.post("/notes", json={"title": ""})
    assert response.status_code == 422


async def test_concurrent_writes_share_the_pool(client):
    responses = await asyncio.gather(
        *(client.post("/notes", json={"title": f"n{i}"}) for i in range(6))
    )
    ids = sorted(r.json()["id"] for r in responses)
    assert len(set(ids)) == 6
    assert len((await client.get("/notes")).json()) == 6
