from aiohttp.test_utils import AioHTTPTestCase, unittest_run_loop

from notes_service import create_app


class NotesTestCase(AioHTTPTestCase):
    async def get_application(self):
        return create_app()

    @unittest_run_loop
    async def test_note_roundtrip(self):
        resp = await self.client.post("/notes", json={"text": "from unittest"})
        self.assertEqual(resp.status, 201)
        note = await resp.json()
        resp = await self.client.get(f"/notes/{note['id']}")
        self.assertEqual((await resp.json())["text"], "from unittest")

    @unittest_run_loop
    async def test_unknown_route(self):
        resp = await self.client.get("/nope")
        self.assertEqual(resp.status, 404)
