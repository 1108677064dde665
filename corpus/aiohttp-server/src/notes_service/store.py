"""An in-memory note store; the service keeps it on the application."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field


@dataclass
class Note:
    id: int
    text: str
    tags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "text": self.text, "tags": self.tags}


class NoteStore:
    def __init__(self) -> None:
        self._notes: dict[int, Note] = {}
        self._ids = itertools.count(1)
        self._lock = asyncio.Lock()

    async def add(self, text: str, tags: list[str] | None = None) -> Note:
        async with self._lock:
            note = Note(next(self._ids), text, list(tags or []))
            self._notes[note.id] = note
            return note

    async def get(self, note_id: int) -> Note | None:
        return self._notes.get(note_id)

    async def search(self, tag: str) -> list[Note]:
        return [n for n in self._notes.values() if tag in n.tags]

    async def delete(self, note_id: int) -> bool:
        async with self._lock:
            return self._notes.pop(note_id, None) is not None

    def __len__(self) -> int:
        return len(self._notes)
