"""The aiohttp application: routes, handlers, startup and cleanup."""

from __future__ import annotations

from aiohttp import web

from notes_service.store import NoteStore

STORE = web.AppKey("store", NoteStore)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "notes": len(request.app[STORE])})


async def create_note(request: web.Request) -> web.Response:
    payload = await request.json()
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        raise web.HTTPBadRequest(text="text is required")
    note = await request.app[STORE].add(text.strip(), payload.get("tags"))
    return web.json_response(note.as_dict(), status=201)


async def get_note(request: web.Request) -> web.Response:
    note = await request.app[STORE].get(int(request.match_info["note_id"]))
    if note is None:
        raise web.HTTPNotFound()
    return web.json_response(note.as_dict())


async def delete_note(request: web.Request) -> web.Response:
    if not await request.app[STORE].delete(int(request.match_info["note_id"])):
        raise web.HTTPNotFound()
    return web.Response(status=204)


async def search_notes(request: web.Request) -> web.Response:
    notes = await request.app[STORE].search(request.query.get("tag", ""))
    return web.json_response([n.as_dict() for n in notes])


async def _open_store(app: web.Application) -> None:
    app[STORE] = NoteStore()


def create_app() -> web.Application:
    app = web.Application()
    app.on_startup.append(_open_store)
    app.router.add_get("/health", health)
    app.router.add_post("/notes", create_note)
    app.router.add_get("/notes", search_notes)
    app.router.add_get(r"/notes/{note_id:\d+}", get_note)
    app.router.add_delete(r"/notes/{note_id:\d+}", delete_note)
    return app
