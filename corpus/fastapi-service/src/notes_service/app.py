from typing import Any, Dict, List

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, Field

from notes_service.db import Pool

app = FastAPI(title="notes")


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=80)
    body: str = ""


class Note(NoteIn):
    id: int


def get_pool(request: Request) -> Pool:
    return request.app.state.pool


@app.get("/health")
async def health(pool: Pool = Depends(get_pool)) -> Dict[str, Any]:
    return {"status": "ok", "idle_connections": pool.idle}


@app.post("/notes", status_code=201, response_model=Note)
async def create_note(note: NoteIn, pool: Pool = Depends(get_pool)) -> Dict[str, Any]:
    key = await pool.insert("notes", note.model_dump())
    async with pool.acquire() as connection:
        row = await connection.fetch("notes", key)
    assert row is not None
    return row


@app.get("/notes", response_model=List[Note])
async def list_notes(pool: Pool = Depends(get_pool)) -> List[Dict[str, Any]]:
    async with pool.acquire() as connection:
        return await connection.fetch_all("notes")


@app.get("/notes/{key}", response_model=Note)
async def read_note(key: int, pool: Pool = Depends(get_pool)) -> Dict[str, Any]:
    async with pool.acquire() as connection:
        row = await connection.fetch("notes", key)
    if row is None:
        raise HTTPException(status_code=404, detail="note not found")
    return row


@app.delete("/notes/{key}", status_code=204)
async def delete_note(key: int, pool: Pool = Depends(get_pool)) -> None:
    async with pool.writing() as connection:
        if not await connection.delete("notes", key):
            raise HTTPException(status_code=404, detail="note not found")
