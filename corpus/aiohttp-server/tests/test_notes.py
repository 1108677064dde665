async def test_health_reports_an_empty_store(cli):
    resp = await cli.get("/health")
    assert resp.status == 200
    assert await resp.json() == {"status": "ok", "notes": 0}


async def test_create_then_get(cli):
    resp = await cli.post("/notes", json={"text": "  write tests  ", "tags": ["dev"]})
    assert resp.status == 201
    created = await resp.json()
    assert created["text"] == "write tests"

    resp = await cli.get(f"/notes/{created['id']}")
    assert resp.status == 200
    assert await resp.json() == created


async def test_blank_text_is_rejected(cli):
    resp = await cli.post("/notes", json={"text": "   "})
    assert resp.status == 400
    assert await resp.text() == "text is required"


async def test_search_by_tag(seeded):
    resp = await seeded.get("/notes", params={"tag": "home"})
    assert [n["text"] for n in await resp.json()] == ["buy milk", "call bob"]


def test_delete_sync_style(seeded, loop):
    resp = loop.run_until_complete(seeded.delete("/notes/2"))
    assert resp.status == 204
    resp = loop.run_until_complete(seeded.delete("/notes/2"))
    assert resp.status == 404
    health = loop.run_until_complete(seeded.get("/health"))
    assert loop.run_until_complete(health.json())["notes"] == 2


async def test_missing_note_is_404(cli, loop):
    # The store is looked up in an executor to mimic a blocking backend.
    ids = await loop.run_in_executor(None, lambda: list(range(40, 43)))
    for note_id in ids:
        resp = await cli.get(f"/notes/{note_id}")
        assert resp.status == 404
