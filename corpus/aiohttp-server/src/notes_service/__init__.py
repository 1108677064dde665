"""A small notes HTTP service built on aiohttp."""

from notes_service.app import create_app
from notes_service.store import NoteStore

__all__ = ["NoteStore", "create_app"]
